// Byte-level classification of terminal output for the screen mirror's trimming (screen-mirror.ts).
// "Line-local" escape sequences only change what is drawn or where the cursor is: text drawn into rows that
// later scroll out of the buffer leaves no trace. The one piece of lasting state they carry is the pen
// (SGR colours and attributes), which is why the SGR sequences of a dropped region are kept.

const ESC = 0x1b;
const CSI_INTRO = 0x5b; // '['
/** CSI finals that draw, erase or move the cursor (no modes, scroll regions, tab stops, cursor saves). */
const LINE_LOCAL_FINALS = new Set([...'mKJGCDABHfXP@EFd`ae'].map((c) => c.charCodeAt(0)));

export interface ChunkClass {
  /** Every escape sequence is a complete line-local CSI, and there are no charset shifts or C1 controls. */
  lineLocal: boolean;
  /** The chunk may end inside an escape sequence (so the next chunk does not start in the parser's ground state). */
  endsOpen: boolean;
}

/** C1 controls (U+0080..U+009F) arrive UTF-8 encoded as C2 80..C2 9F; plain C2 bytes of other characters do not count. */
function hasC1(buf: Buffer): boolean {
  for (let i = buf.indexOf(0xc2); i !== -1 && i + 1 < buf.length; i = buf.indexOf(0xc2, i + 1)) {
    const next = buf[i + 1]!;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}

/** Index just past the CSI starting at `i` (ESC [ params final), or -1 if it is not a complete line-local CSI. */
function lineLocalCsiEnd(buf: Buffer, i: number): number {
  if (buf[i + 1] !== CSI_INTRO) return -1;
  let j = i + 2;
  // Parameters: digits, ':' and ';' only (private prefixes such as '?' mark mode changes).
  while (j < buf.length && buf[j]! >= 0x30 && buf[j]! <= 0x3b) j++;
  if (j >= buf.length || !LINE_LOCAL_FINALS.has(buf[j]!)) return -1;
  return j + 1;
}

/** True when the escape sequence starting at `i` (the last ESC of a chunk) is complete within the chunk. */
function lastEscapeComplete(buf: Buffer, i: number): boolean {
  const next = buf[i + 1];
  if (next === undefined) return false;
  if (next === CSI_INTRO) {
    for (let j = i + 2; j < buf.length; j++) if (buf[j]! >= 0x40 && buf[j]! <= 0x7e) return true;
    return false;
  }
  if (next === 0x5d || next === 0x50 || next === 0x5f || next === 0x5e) {
    // OSC / DCS / APC / PM: end with BEL or ST (ESC \) — an ST would itself be the last ESC, so BEL is what we look for.
    return buf.indexOf(0x07, i + 2) !== -1;
  }
  if (next === 0x5c) return true; // ST closing a string that began in an earlier chunk
  // Two-byte escapes (ESC 7, ESC =) are complete; charset designations need one more byte (ESC ( B).
  if (next >= 0x20 && next <= 0x2f) return buf[i + 2] !== undefined;
  return true;
}

export function classifyChunk(buf: Buffer): ChunkClass {
  const last = buf.lastIndexOf(ESC);
  const endsOpen = last !== -1 && !lastEscapeComplete(buf, last);
  if (buf.indexOf(0x0e) !== -1 || buf.indexOf(0x0f) !== -1 || hasC1(buf)) return { lineLocal: false, endsOpen };
  for (let i = buf.indexOf(ESC); i !== -1;) {
    const end = lineLocalCsiEnd(buf, i);
    if (end === -1) return { lineLocal: false, endsOpen };
    i = buf.indexOf(ESC, end);
  }
  return { lineLocal: true, endsOpen };
}

/**
 * Anything that is not text or a complete line-local CSI: SO/SI, a C1 control (UTF-8 C2 80..9F), or an ESC that does
 * not start "ESC [ params final" with a line-local final. Run over the bytes as latin1 (one char per byte): V8's
 * compiled regex scans a flood far faster than a loop over its escapes, and coloured floods carry one every ~9 bytes.
 */
const NOT_LINE_LOCAL = /[\x0e\x0f]|\xc2[\x80-\x9f]|\x1b(?!\[[0-9:;]*[mKJGCDABHfXP@EFd`ae])/;
const SGR_SEQUENCE = /\x1b\[[0-9:;]*m/g;

/**
 * For a region made only of text and line-local escapes: the SGR sequences that set the pen at its end
 * (everything from the last full reset, ESC[m or ESC[0m, on). Undefined when the region holds anything else.
 */
export function penAfter(region: Buffer): Buffer | undefined {
  const text = region.toString('latin1');
  if (NOT_LINE_LOCAL.test(text)) return undefined;
  const reset = Math.max(text.lastIndexOf('\x1b[m'), text.lastIndexOf('\x1b[0m'));
  const sgrs = text.slice(Math.max(0, reset)).match(SGR_SEQUENCE);
  return Buffer.from(sgrs ? sgrs.join('') : '', 'latin1');
}
