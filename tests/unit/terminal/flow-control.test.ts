import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_LIMITS, FlowGate, type FlowPressure } from '../../../lab-runner/terminal/flow-control.ts';

const calm: FlowPressure = { unacked: 0, buffered: 0, mirror: 0, detachedBytes: undefined, holding: false };
const L = DEFAULT_FLOW_LIMITS;

describe('FlowGate', () => {
  it('pauses above a high watermark and resumes only below every low watermark', () => {
    const gate = new FlowGate();
    expect(gate.decide(calm)).toBe('keep');
    expect(gate.decide({ ...calm, unacked: L.unackedHigh + 1 })).toBe('pause');
    expect(gate.decide({ ...calm, unacked: L.unackedHigh })).toBe('keep');
    expect(gate.decide({ ...calm, unacked: L.unackedLow, buffered: L.bufferedLow + 1 })).toBe('keep');
    expect(gate.decide({ ...calm, unacked: L.unackedLow, buffered: L.bufferedLow })).toBe('resume');
    expect(gate.paused).toBe(false);
    expect(gate.pauses).toBe(1);
  });

  it.each([
    ['socket buffer', { buffered: L.bufferedHigh + 1 }],
    ['mirror backlog', { mirror: L.mirrorHigh + 1 }],
    ['detached budget', { detachedBytes: L.detachedBudget }],
    ['attach in progress', { holding: true }],
  ])('pauses for %s', (_name, extra) => {
    const gate = new FlowGate();
    expect(gate.decide({ ...calm, ...extra })).toBe('pause');
    expect(gate.decide({ ...calm, ...extra })).toBe('keep');
    expect(gate.decide(calm)).toBe('resume');
  });
});
