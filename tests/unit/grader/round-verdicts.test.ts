// RoundVerdicts: batch answers land under the check or invariant they answer; ids that look alike stay apart.
import { describe, expect, it } from 'vitest';
import { keyOf, RoundVerdicts } from '../../../lab-runner/grader/round-verdicts.ts';
import type { CheckedItem } from '../../../lab-runner/grader/round-verdicts.ts';
import type { Verdict } from '../../../lab-runner/grader/verdict.ts';

const verdict = (outcome: Verdict['outcome'], summary: string): Verdict => ({ outcome, summary, failLines: [], truncated: false, durationMs: 1 });

describe('RoundVerdicts', () => {
  it("reads a task's check and each invariant by id; a batch's unknown keys and missing answers are left out", () => {
    const items: CheckedItem[] = [
      { kind: 'check', taskId: 'a' },
      { kind: 'invariant', taskId: 'a', invariantId: 'still-up' },
      { kind: 'check', taskId: 'b' },
    ];
    expect(new Set(items.map(keyOf)).size).toBe(3);
    const v = new RoundVerdicts();
    v.add(
      items,
      new Map([
        [keyOf(items[0]!), verdict('passed', 'ok')],
        [keyOf(items[1]!), verdict('failed', 'down')],
        ['check:zzz', verdict('passed', 'stray')],
      ]),
    );
    expect(v.check('a')?.summary).toBe('ok');
    expect(v.invariant('a', 'still-up')?.summary).toBe('down');
    expect(v.check('b')).toBeUndefined();
    expect(v.check('zzz')).toBeUndefined();
    expect(v.invariant('b', 'still-up')).toBeUndefined();
  });

  it('a check and an invariant of the same ids never collide; merge overwrites with the later round', () => {
    const first = new RoundVerdicts();
    const check: CheckedItem = { kind: 'check', taskId: 'x' };
    const inv: CheckedItem = { kind: 'invariant', taskId: 'x', invariantId: 'x' };
    first.add(
      [check, inv],
      new Map([
        [keyOf(check), verdict('failed', 'check')],
        [keyOf(inv), verdict('passed', 'inv')],
      ]),
    );
    const second = new RoundVerdicts();
    second.add([inv], new Map([[keyOf(inv), verdict('timeout', 'inv again')]]));
    first.merge(second);
    expect(first.check('x')?.summary).toBe('check');
    expect(first.invariant('x', 'x')?.summary).toBe('inv again');
  });
});
