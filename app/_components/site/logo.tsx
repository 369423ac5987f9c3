// The packetwalk mark: a packet hopping between two nodes.
export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--accent)" />
      <circle cx="9" cy="22" r="3.2" fill="var(--accent-contrast)" />
      <circle cx="23" cy="10" r="3.2" fill="var(--accent-contrast)" />
      <path d="M9 22 C 9 14, 15 10, 23 10" fill="none" stroke="var(--accent-contrast)" strokeWidth="2" strokeDasharray="2.5 2.5" strokeLinecap="round" />
      <circle cx="14.5" cy="13.6" r="2.2" fill="#ffb86b" />
    </svg>
  );
}
