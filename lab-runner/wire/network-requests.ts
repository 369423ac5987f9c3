// Validation of what a learner may name in a capture or an impairment: these values reach a shell in the lab (as
// quoted arguments, never evaluated), but are still held to what Linux allows, so errors read well.
import { z } from 'zod';

export const targetName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'target must be a lab target name such as "node1"' });
/** Linux interface names: at most 15 bytes, no "/" or whitespace. */
export const ifaceName = z.string().regex(/^[A-Za-z0-9_.:@-]{1,15}$/, { message: 'iface must be an interface name such as "eth0"' });
/** `ip netns` names ('' for the node's own namespace). */
export const netnsName = z
  .string()
  .regex(/^(|[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/, { message: 'ns must be a network namespace name (or empty for the node itself)' });
/**
 * A BPF capture filter ("icmp", "udp port 4789 and host 10.0.0.2"). Only the characters pcap-filter(7) uses; the lab's
 * dumpcap compiles it before a capture starts, and its message is shown when it does not compile.
 */
export const bpfFilter = z
  .string()
  .max(300, { message: 'filter is at most 300 characters' })
  .regex(/^[A-Za-z0-9 .:/()!&|<>=[\]\-_+*]*$/, { message: 'filter may hold only letters, digits, spaces and . : / ( ) ! & | < > = [ ] - _ + *' });

export const captureRequest = z.strictObject({
  target: targetName,
  ns: netnsName.default(''),
  iface: ifaceName,
  filter: bpfFilter.optional(),
});
export type CaptureRequest = z.infer<typeof captureRequest>;

export const impairmentRequest = z
  .strictObject({
    target: targetName,
    ns: netnsName.default(''),
    iface: ifaceName,
    delayMs: z.number().int().min(1).max(5_000).optional(),
    lossPercent: z.number().min(0.1).max(100).optional(),
    rateKbit: z.number().int().min(8).max(10_000_000).optional(),
  })
  .refine((r) => r.delayMs !== undefined || r.lossPercent !== undefined || r.rateKbit !== undefined, { message: 'give delayMs, lossPercent or rateKbit' });
