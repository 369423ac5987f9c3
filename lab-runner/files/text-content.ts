// Is this file something a text editor can show and save back unchanged? Text means valid UTF-8 without NUL
// bytes: anything else would be altered by a round trip through the browser (a JavaScript string).
export type TextCheck = { ok: true; text: string } | { ok: false; why: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeText(bytes: Uint8Array): TextCheck {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, why: `it contains a NUL byte at offset ${nul}` };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, why: 'it is not valid UTF-8 text' };
  }
}

/** The line ending a file mostly uses, so the editor keeps it (configs edited on Windows keep their CRLF). */
export function lineEnding(text: string): 'lf' | 'crlf' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? 'crlf' : 'lf';
}
