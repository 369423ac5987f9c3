// shellCalls (tests/unit/_lib/shell-calls.ts) against bash itself: each snippet runs in bash with a `kubectl` function
// that records the arguments and standard input it really got, and the calls read from shfmt's tree must be the
// same. Expansions in arguments are set up to be "1" (what shellCalls puts for them) and in heredocs to be empty.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCalls, shfmtAvailable } from '../_lib/shell-calls.ts';

interface Seen {
  args: string[];
  stdin: string;
}

/** The kubectl calls bash makes running `snippet`, in order. */
function bashCalls(snippet: string): Seen[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-shell-calls-'));
  const log = path.join(dir, 'log');
  try {
    const prelude = [
      'one=1; none=""',
      // NUL-separated: "C", the arguments, "S", standard input (a heredoc, or nothing), "E".
      `kubectl() { { printf 'C\\0'; printf '%s\\0' "$@"; printf 'S\\0'; cat; printf '\\0E\\0'; } >> '${log}'; }`,
    ].join('\n');
    const r = spawnSync('bash', ['-c', `${prelude}\n${snippet}`], { encoding: 'utf8', input: '' });
    if (r.status !== 0) throw new Error(`bash: ${r.stderr}`);
    const fields = readFileSync(log, 'utf8').split('\0');
    const calls: Seen[] = [];
    for (let i = 0; i < fields.length; i++) {
      if (fields[i] !== 'C') continue;
      const s = fields.indexOf('S', i);
      calls.push({ args: fields.slice(i + 1, s), stdin: fields[s + 1]! });
      i = fields.indexOf('E', s + 1);
    }
    return calls;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const modelled = (snippet: string): Seen[] =>
  shellCalls(snippet)
    .filter((c) => c.args[0] === 'kubectl' && !c.forwards)
    .map((c) => ({ args: c.args.slice(1), stdin: c.heredoc ?? '' }));

const SNIPPETS: Record<string, string> = {
  'a continued line, a single-quoted jsonpath, a pipe': [
    'kubectl get endpointslices -l kubernetes.io/service-name=web \\',
    `  -o jsonpath='{range .items[*]}{.addresses[0]}{"\\n"}{end}' | cat`,
  ].join('\n'),
  'a command substitution holding double quotes with escapes': 'x=$(kubectl -n "$one" get svc -o jsonpath="{.spec.ports[?(@.name==\\"http\\")].port}")',
  'backslashes unquoted, in double quotes and in single quotes': `kubectl exec client -- sh -c 'echo "$i" \\n' a\\ b "c\\$d" "e\\\\f" "g\\h" $(echo 1)x`,
  'an expanding heredoc: \\$ and \\\\ lose their backslash, \\" keeps it': [
    'kubectl apply -f - <<EOF',
    'name: web$none',
    'cmd: ["sh", "-c", "echo \\"\\$p\\" a\\\\b"]',
    'EOF',
  ].join('\n'),
  'a quoted heredoc keeps everything as written': ["kubectl apply -f - <<'EOF'", 'raw: $p \\" \\\\ $(x)', 'EOF'].join('\n'),
  'a <<- heredoc loses its leading tabs': ['if true; then', '\tkubectl apply -f - <<-EOF', '\t\tkind: Pod', '\tEOF', 'fi'].join('\n'),
  'calls in conditions, loops and functions': [
    'if kubectl get nodes -o name >/dev/null; then kubectl get pods; fi',
    'for n in a b; do kubectl label node "$one" x=y --overwrite; done',
    'f() { kubectl -n "$one" get svc; }',
    'f',
  ].join('\n'),
};

describe.skipIf(!shfmtAvailable())('shellCalls reads kubectl calls as bash makes them', () => {
  it.each(Object.entries(SNIPPETS))('%s', (_name, snippet) => {
    const seen = bashCalls(snippet);
    expect(seen.length).toBeGreaterThan(0);
    // The loop runs its call twice; the text has it once.
    expect(modelled(snippet)).toEqual(seen.filter((c, i) => seen.findIndex((d) => JSON.stringify(d) === JSON.stringify(c)) === i));
  });

  it('marks a call that passes its own arguments on', () => {
    const calls = shellCalls('f() { kubectl get "$@"; }');
    expect(calls).toMatchObject([{ args: ['kubectl', 'get', '1'], forwards: true }]);
  });

  it('refuses shell that does not parse, with shfmt’s reason', () => {
    expect(() => shellCalls('kubectl get pods <pod>')).toThrow(/shfmt cannot parse it/);
  });
});
