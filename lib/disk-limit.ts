// LAB_DISK_LIMIT's value, parsed where the config is read; the engine applies it (lab-runner/isolation/disk-cap.ts).
/** "1g", "512m", "1073741824" -> bytes; "none" or "0" -> undefined (no cap). */
export function parseDiskLimit(v: string): number | undefined {
  const m = /^(\d+)([kmg]?)i?b?$/i.exec(v.trim());
  if (v === 'none' || !m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit || undefined;
}
