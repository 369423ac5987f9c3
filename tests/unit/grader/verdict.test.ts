import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LIMITS, parseVerdict } from '../../../lab-runner/grader/verdict.ts';
import { SCRIPT_COMMAND, withPreamble } from '../../../lab-runner/grader/check-preamble.ts';

const out = (stdout: string, exitCode = 1, extra: Partial<{ timedOut: boolean; truncated: boolean }> = {}) => ({
  exitCode,
  stdout,
  timedOut: false,
  truncated: false,
  durationMs: 12,
  ...extra,
});

describe('parseVerdict', () => {
  it('passes on exit 0 whatever the output says', () => {
    expect(parseVerdict(out('FAIL: ignored\n', 0))).toMatchObject({ outcome: 'passed', summary: 'Passed' });
  });

  it('collects FAIL: lines in order and summarises with the first', () => {
    const v = parseVerdict(out('checking...\nFAIL: no netns pod-a\nnoise FAIL: not at line start\nFAIL:   veth missing  \n'));
    expect(v.outcome).toBe('failed');
    expect(v.failLines).toEqual(['no netns pod-a', 'veth missing']);
    expect(v.summary).toBe('no netns pod-a');
  });

  it('renders a final JSON line as a structured verdict', () => {
    const v = parseVerdict(out('FAIL: bridge incomplete\n{"observed": 1, "expected": "2 ports on br0", "hint": "ip link set veth-b master br0"}\n\n'));
    expect(v.structured).toEqual({ observed: '1', expected: '2 ports on br0', hint: 'ip link set veth-b master br0' });
    expect(v.summary).toBe('expected 2 ports on br0, found 1');
    expect(v.failLines).toEqual(['bridge incomplete']);
  });

  it('ignores a JSON line that is not last, not an object, or has no verdict fields', () => {
    expect(parseVerdict(out('{"observed":1,"expected":2}\nFAIL: later\n')).structured).toBeUndefined();
    expect(parseVerdict(out('[1,2]\n')).structured).toBeUndefined();
    expect(parseVerdict(out('{"foo": 1}\n')).structured).toBeUndefined();
    expect(parseVerdict(out('{"observed": 1, "expected": \n')).structured).toBeUndefined();
    expect(parseVerdict(out('{"observed": null, "expected": null, "hint": 3}')).structured).toEqual({ hint: '3' });
  });

  it('survives garbage: binary bytes, escapes, bidi controls, invalid surrogates', () => {
    const garbage = '\u0000\u0001\u001b[31mFAIL: \u001b]0;title\u0007red\u202e txt\u001b[0m\n\ud800\uffff\n{"observed":"\\u0007x\\u001b[2J","expected":"y"}';
    const v = parseVerdict(out(garbage));
    expect(v.failLines).toEqual([]); // the line does not start with FAIL: once it has a NUL in front
    expect(v.structured).toEqual({ observed: 'x', expected: 'y' });
    const v2 = parseVerdict(out('FAIL: \u001b[31mred\u202e txt\u001b[0m\u0000'));
    expect(v2.failLines).toEqual(['red txt']);
    expect(parseVerdict(out('\u0000\u0000\u0000')).summary).toBe('Not done yet.');
  });

  it('bounds huge output: few lines, short lines, the tail still parsed', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `FAIL: problem ${i} ${'x'.repeat(1000)}`).join('\n');
    const v = parseVerdict(out(`${many}\n{"observed":"3","expected":"4"}\n`, 1, { truncated: true }));
    expect(v.failLines).toHaveLength(LIMITS.failLines + 1);
    expect(v.failLines.at(-1)).toMatch(/^… and \d+ more$/);
    for (const l of v.failLines) expect(Array.from(l).length).toBeLessThanOrEqual(LIMITS.lineChars);
    expect(v.structured).toEqual({ observed: '3', expected: '4' });
    expect(v.truncated).toBe(true);
    const huge = parseVerdict(out(`{"observed":"${'o'.repeat(100_000)}","expected":"e"}`));
    expect(huge.structured).toBeUndefined(); // cut in the middle: not a line we can trust
    const long = parseVerdict(out(`{"observed":"${'😀'.repeat(400)}","expected":"e"}`));
    expect(Array.from(long.structured!.observed!)).toHaveLength(LIMITS.fieldChars);
    expect(long.structured!.observed!.endsWith('…')).toBe(true);
  });

  it('says a timeout is a timeout, with the limit', () => {
    const v = parseVerdict(out('FAIL: waiting\n', 137, { timedOut: true }), 10_000);
    expect(v).toMatchObject({ outcome: 'timeout', summary: 'The check did not finish after 10 s and was stopped.', failLines: ['waiting'] });
  });
});

describe('check helpers (real bash)', () => {
  const run = (script: string, env: Record<string, string> = {}) => {
    try {
      const stdout = execFileSync(SCRIPT_COMMAND[0]!, SCRIPT_COMMAND.slice(1), { input: withPreamble(script), env: { ...process.env, ...env } }).toString();
      return { exitCode: 0, stdout };
    } catch (err) {
      const e = err as { status: number; stdout: Buffer };
      return { exitCode: e.status, stdout: e.stdout.toString() };
    }
  };

  it('expect_eq passes on equal and produces a parsable verdict otherwise', () => {
    expect(run('expect_eq 2 2 "ports on br0"; echo ok').stdout).toBe('ok\n');
    const r = run(`expect_eq "1" "2" "ports on br0" 'try "ip link set veth-b master br0"'; echo unreachable`);
    expect(r.exitCode).toBe(1);
    const v = parseVerdict({ ...r, timedOut: false, truncated: false, durationMs: 1 });
    expect(v.failLines).toEqual(['ports on br0: expected 2, found 1']);
    expect(v.structured).toEqual({ observed: '1', expected: '2', hint: 'try "ip link set veth-b master br0"' });
  });

  it('verdict escapes quotes, backslashes, tabs and newlines into valid JSON', () => {
    const r = run(`verdict $'a"b\\\\c\\td\\ne' 'x'; exit 1`);
    expect(JSON.parse(r.stdout.trim())).toEqual({ observed: 'a"b\\c d\ne'.replace(' ', '\t'), expected: 'x' });
  });

  it.each([['C'], ['C.UTF-8']])('verdict drops control characters and keeps UTF-8 text (locale %s)', (locale) => {
    const r = run(`verdict $'caf\u00e9\\x01\\x1b[31m red' $'x\\x7f'; exit 1`, { LC_ALL: locale });
    expect(JSON.parse(r.stdout.trim())).toEqual({ observed: 'café[31m red', expected: 'x\x7f' });
  });

  it('fail stops the script; answer reads the first trimmed line or nothing', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp('/tmp/pw-answers-');
    await writeFile(`${dir}/veth`, '  veth1234@if5  \r\nsecond line\n');
    const r = run('a=$(answer veth); b=$(answer missing); [ -z "$b" ] || fail "b=$b"; fail "got [$a]"', { PW_ANSWERS_DIR: dir });
    expect(r).toEqual({ exitCode: 1, stdout: 'FAIL: got [veth1234@if5]\n' });
  });

  it('a command reading stdin does not eat the rest of the script', () => {
    expect(run('cat; read -r x || echo eof; echo still-here').stdout).toBe('eof\nstill-here\n');
  });

  it('retry gives up after its deadline and succeeds as soon as the command does', () => {
    expect(run('retry 1 false || fail gave-up').stdout).toBe('FAIL: gave-up\n');
    expect(run('retry 5 true && echo ok').stdout).toBe('ok\n');
  });
});
