import { describe, expect, it } from 'vitest';
import { batchScript, runBatch } from '../../../lab-runner/grader/check-batch.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';

describe('runBatch (local bash)', () => {
  it('runs checks in order in one exec and gives each its own verdict', async () => {
    const lab = new LocalLab({ learnerId: 'l', template: 't' });
    const order = `${lab.dir('node1')}/order`;
    const results = await runBatch(lab.manager().exec, lab.id, 'node1', [
      { key: 'a', script: `echo a >> ${order}; exit 0`, timeoutMs: 5_000 },
      { key: 'b', script: `echo b >> ${order}; expect_eq "$(echo 1)" 2 "ports" "try x"`, timeoutMs: 5_000 },
      {
        key: 'c',
        script: `echo c >> ${order}; cat; read -r x || echo "FAIL: stdin is at EOF: $PW_TASK_ID"; exit 3`,
        timeoutMs: 5_000,
        env: { PW_TASK_ID: "it's c" },
      },
      { key: 'd', script: `printf 'ünïcødé ✓ \\x01 binary\\n'; echo 'FAIL: 😀 done'; exit 1`, timeoutMs: 5_000 },
    ]);
    expect(lab.execCount).toBe(1);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(order, 'utf8')).toBe('a\nb\nc\n');
    expect(results.get('a')!.outcome).toBe('passed');
    expect(results.get('b')).toMatchObject({ outcome: 'failed', summary: 'expected 2, found 1', structured: { observed: '1', expected: '2', hint: 'try x' } });
    expect(results.get('c')).toMatchObject({ outcome: 'failed', exitCode: 3, failLines: ["stdin is at EOF: it's c"] });
    expect(results.get('d')).toMatchObject({ outcome: 'failed', failLines: ['😀 done'] });
  });

  it('kills a hanging check at its own timeout and still runs the next one', async () => {
    const lab = new LocalLab({ learnerId: 'l', template: 't' });
    const t0 = Date.now();
    const results = await runBatch(lab.manager().exec, lab.id, 'node1', [
      { key: 'hang', script: 'echo "FAIL: waiting"; sleep 60', timeoutMs: 800 },
      { key: 'next', script: 'exit 0', timeoutMs: 5_000 },
    ]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(results.get('hang')).toMatchObject({ outcome: 'timeout', failLines: ['waiting'] });
    expect(results.get('next')!.outcome).toBe('passed');
  });

  it('keeps check scripts out of argv: the exec command line is fixed', () => {
    const script = batchScript([{ key: 'x', script: 'echo secret-42', timeoutMs: 1000 }], '__pw_tok');
    expect(script).toContain('secret-42'); // travels on stdin...
    expect(script).not.toMatch(/bash -c ['"]?echo secret-42/); // ...and is never an argument
  });

  it('reports every item as an error when the exec itself fails', async () => {
    const results = await runBatch(async () => Promise.reject(new Error('lab gone')), 'lab', 'node1', [
      { key: 'a', script: 'true', timeoutMs: 1000 },
      { key: 'b', script: 'true', timeoutMs: 1000 },
    ]);
    expect([...results.values()].map((v) => v.outcome)).toEqual(['error', 'error']);
    expect(results.get('a')!.summary).toContain('lab gone');
  });
});
