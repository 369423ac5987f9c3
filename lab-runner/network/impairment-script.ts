// Impairments as tc commands: netem for delay and loss (with its own rate when a rate is asked too), tbf for a rate
// alone. `replace` so a second impairment on the same interface changes it instead of failing. They live in the node's
// kernel, so a lab reset (fresh containers) removes them with everything else.
import { LabRunnerError } from '../errors.ts';
import type { ImpairmentRequest } from '../wire/network.ts';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function impairScript(r: ImpairmentRequest): string {
  const tc = r.ns ? `tc -n ${q(r.ns)}` : 'tc';
  if (r.delayMs !== undefined || r.lossPercent !== undefined) {
    const parts = ['netem'];
    if (r.delayMs !== undefined) parts.push(`delay ${r.delayMs}ms`);
    if (r.lossPercent !== undefined) parts.push(`loss ${r.lossPercent}%`);
    if (r.rateKbit !== undefined) parts.push(`rate ${r.rateKbit}kbit`);
    return `${tc} qdisc replace dev ${q(r.iface)} root ${parts.join(' ')}\n`;
  }
  // tbf needs a bucket of at least one MTU-sized packet and a bound on queueing delay.
  const burstBytes = Math.max(1600, Math.ceil((r.rateKbit! * 1000) / 8 / 100));
  return `${tc} qdisc replace dev ${q(r.iface)} root tbf rate ${r.rateKbit}kbit burst ${burstBytes} latency 100ms\n`;
}

/** Back to the default queue; no error when there was nothing to remove. */
export function clearImpairmentScript(target: { ns: string; iface: string }): string {
  const tc = target.ns ? `tc -n ${q(target.ns)}` : 'tc';
  return `${tc} qdisc del dev ${q(target.iface)} root 2>&1 | grep -v -e 'No such file' -e 'Cannot delete qdisc with handle of zero' >&2; exit 0\n`;
}

/** What tc says when the kernel lacks the queueing discipline asked for. */
export const MISSING_QDISC = /qdisc kind is unknown|specified qdisc not found/i;

/**
 * Why tc refused an impairment, as the error the learner sees. A kernel without the queueing discipline is the host's
 * limit ("unsupported"): current kernels say "Specified qdisc kind is unknown", older ones "Specified qdisc not found"
 * (`replace … root` names no parent that could be missing, so that message means the kind here too).
 */
export function impairmentRefusal(r: ImpairmentRequest, tcOutput: string): LabRunnerError {
  const msg = tcOutput.trim();
  if (MISSING_QDISC.test(msg)) {
    const netem = r.delayMs !== undefined || r.lossPercent !== undefined;
    return new LabRunnerError(
      'unsupported',
      `This Docker host's kernel has no ${netem ? 'netem (sch_netem)' : 'tbf (sch_tbf)'} queueing discipline, so ${netem ? 'delay and loss' : 'a rate limit'} cannot be added here: "${msg}".`,
    );
  }
  return new LabRunnerError('bad-request', `tc refused the impairment on ${r.iface}: ${msg.slice(0, 300)}`);
}
