// What the packet list says about itself, so a learner never mistakes it for every packet on the wire: it shows the
// newest rows the page keeps, of the packets tshark decoded, of which some never reached the page (the server's rate
// limit). At high packet rates tshark decodes only part of what dumpcap captures: the list is then a sample, and the
// pcapng download (the ring buffer of the newest packets) is the complete record.
export interface ListCounts {
  /** Rows in the list now. */
  shown: number;
  /** Packets tshark decoded (CaptureView.seen). */
  decoded: number;
  /** Decoded packets not sent to the page (CaptureView.skipped). */
  skipped: number;
}

export function listNote({ shown, decoded, skipped }: ListCounts): string {
  if (decoded === 0) return 'No packets yet.';
  const head = shown === decoded ? `Showing all ${decoded} packets tshark decoded` : `Showing the newest ${shown} of ${decoded} packets tshark decoded`;
  const limit = skipped > 0 ? ` (${skipped} were not sent to this page: at most 500 rows a second are)` : '';
  return `${head}${limit}. At high packet rates this is a sample: the pcapng download holds every packet of the capture's ring buffer (the newest ones).`;
}
