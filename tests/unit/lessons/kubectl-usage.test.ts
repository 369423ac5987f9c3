// Every kubectl command line the course runs or shows, put to a real kubectl: the challenge scripts (setup, checks,
// solutions, near misses, right variants), the <Run> commands, bash blocks and inline code of every lesson, and the
// lab-runner's own queries. The kind-review tests run those scripts against a scripted kubectl, which answers any
// flag it is told to; this is the part a cluster would have caught first: an unknown or misspelt flag, a subcommand
// kubectl does not have, `exec POD CMD` without `--`, a jsonpath or go-template kubectl cannot parse, a manifest on
// stdin it cannot read. Shell is parsed by shfmt; kubectl is Debian's build of a pinned node image's release.
import { afterAll, describe, expect, it } from 'vitest';
import { KUBE_VIEW_QUERY } from '../../../lab-runner/network/lab-read.ts';
import { NODES_READY_JSONPATH } from '../../../lab-runner/kind/wait-for-ready.ts';
import { courseKubectlCalls } from '../_lib/course-kubectl.ts';
import { KubectlSandbox, REAL_KUBECTL, REAL_KUBECTL_MISSING, outputTemplates } from '../_lib/real-kubectl.ts';
import type { Verdict } from '../_lib/real-kubectl.ts';
import { shfmtAvailable } from '../_lib/shell-calls.ts';

interface KubectlLine {
  /** The arguments after "kubectl". */
  args: string[];
  stdin?: string;
  /** Every place it is written, for the failure message. */
  where: string[];
  /** Written only in prose (inline code, a check's hint), where a sentence may run on after the command. */
  prose: boolean;
}

const haveShfmt = shfmtAvailable();

function courseKubectlLines(): { lines: KubectlLine[]; unparsed: string[] } {
  const byKey = new Map<string, KubectlLine>();
  const add = (args: string[], stdin: string | undefined, where: string, prose = false) => {
    const key = JSON.stringify([args, stdin ?? null]);
    const line = byKey.get(key) ?? { args, stdin, where: [], prose };
    line.where.push(where);
    line.prose &&= prose;
    byKey.set(key, line);
  };
  const { calls, unparsed } = courseKubectlCalls();
  for (const call of calls) {
    // Prose names commands in passing: "`kubectl patch`", "`kubectl describe`" are mentions, not command lines.
    if (call.kind === 'prose' && call.args.length < 2) continue;
    add(call.args, call.heredoc, call.where, call.kind === 'prose');
  }
  // The lab-runner's own queries, which every kind lab depends on.
  add(KUBE_VIEW_QUERY.slice(1), undefined, 'lab-runner/network/lab-read.ts KUBE_VIEW_QUERY');
  add(['--kubeconfig=/etc/kubernetes/admin.conf', 'get', 'nodes', `-o=jsonpath=${NODES_READY_JSONPATH}`], undefined, 'lab-runner/kind/wait-for-ready.ts');
  return { lines: [...byKey.values()], unparsed };
}

const { lines, unparsed } = haveShfmt ? courseKubectlLines() : { lines: [], unparsed: [] };
const skipReason = !haveShfmt ? 'shfmt is not installed (apt-get install shfmt; .ci/run installs it)' : !REAL_KUBECTL ? REAL_KUBECTL_MISSING : '';
const sandbox = REAL_KUBECTL ? new KubectlSandbox(REAL_KUBECTL) : undefined;
afterAll(() => sandbox?.dispose());

/** Runs `check` over `items`, a few kubectl processes at a time (each is a Go binary starting up). */
async function rejections<T>(items: T[], check: (item: T) => Promise<Verdict>, describeItem: (item: T) => string): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const v = await check(item);
      if (!v.accepted) out.push(`${describeItem(item)}\n    → ${v.reason}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out.sort();
}

/**
 * In a sentence the command may be followed by more words ("kubectl logs -l app=kindnet for policy errors"): taken
 * whole, kubectl would read them as names. So prose passes when the command line with some of its trailing words
 * dropped passes; only plain words go, never a flag or what follows one, so a misspelt flag still fails.
 */
async function proseVerdict(box: KubectlSandbox, line: KubectlLine): Promise<Verdict> {
  const first = await box.commandLine(line.args, line.stdin);
  if (first.accepted) return first;
  const lastFlag = line.args.findLastIndex((a) => a.startsWith('-'));
  for (let end = line.args.length - 1; end > Math.max(lastFlag + 1, 1); end--) {
    if ((await box.commandLine(line.args.slice(0, end), line.stdin)).accepted) return { accepted: true };
  }
  return first;
}

const shown = (l: KubectlLine) =>
  `kubectl ${l.args.join(' ')}\n    at ${l.where.slice(0, 3).join('; ')}${l.where.length > 3 ? ` (+${l.where.length - 3})` : ''}`;

describe.skipIf(!haveShfmt)('the kubectl command lines of the course', () => {
  it('are found: scripts and pages of the kind lessons, and every shown command parses as shell', () => {
    expect(unparsed).toEqual([]);
    // Ten kind lessons call kubectl hundreds of times; a handful would mean the reading broke, not the course.
    expect(lines.length).toBeGreaterThan(200);
    expect(lines.some((l) => l.where.some((w) => w.includes('challenge.yaml')))).toBe(true);
    expect(lines.some((l) => l.where.some((w) => w.includes('index.mdx')))).toBe(true);
  });
});

describe.skipIf(!!skipReason)(`a real kubectl${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('tells a rejected command line from an accepted one (the checks below can fail)', async () => {
    const box = sandbox!;
    expect(await box.commandLine(['get', 'pods', '-o', 'wide'], undefined)).toEqual({ accepted: true });
    expect(await box.commandLine(['config', 'view', '--minify'], undefined)).toEqual({ accepted: true });
    expect(await box.commandLine(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n')).toEqual({ accepted: true });
    for (const bad of [
      ['get', 'pods', '--selectr=app=web'],
      ['exec', 'client', 'ip', 'route'],
      ['rollout', 'stats', 'deployment/web'],
      ['wait', '--for=jsonpath={.status.phase', 'pod/p'],
      ['get', 'pods', '--field-selector'],
    ])
      expect(await box.commandLine(bad, undefined), bad.join(' ')).toMatchObject({ accepted: false });
    expect(await box.commandLine(['apply', '-f', '-'], 'kind: Pod\n  metadata: [')).toMatchObject({ accepted: false });
    // Prose may run on after the command, but a misspelt flag in it still fails.
    const prose = (args: string[]): KubectlLine => ({ args, where: [], prose: true });
    expect(await proseVerdict(box, prose(['-n', 'kube-system', 'logs', '-l', 'app=kindnet', 'for', 'policy', 'errors']))).toEqual({ accepted: true });
    expect(await proseVerdict(box, prose(['logs', '--selectr', 'app=kindnet', 'for', 'errors']))).toMatchObject({ accepted: false });
    expect(await box.outputFormat('jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).toEqual({ accepted: true });
    expect(await box.outputFormat('jsonpath={.items[')).toMatchObject({ accepted: false });
    expect(await box.outputFormat('go-template={{range .items}}')).toMatchObject({ accepted: false });
  });

  it('accepts every command line the course runs or shows', { timeout: 240_000 }, async () => {
    const rejected = await rejections(lines, (l) => (l.prose ? proseVerdict(sandbox!, l) : sandbox!.commandLine(l.args, l.stdin)), shown);
    expect(rejected, `kubectl rejects ${rejected.length} of ${lines.length} command lines:\n${rejected.join('\n')}`).toEqual([]);
  });

  it('parses every output template the course uses (jsonpath, go-template, custom-columns)', { timeout: 240_000 }, async () => {
    const checks: { format: string; line: KubectlLine }[] = [];
    const problems: string[] = [];
    for (const line of lines)
      for (const t of outputTemplates(line.args))
        if ('problem' in t) problems.push(`${shown(line)}\n    → ${t.problem}`);
        else checks.push({ format: t.format, line });
    expect(checks.length).toBeGreaterThan(50);
    const unique = [...new Map(checks.map((c) => [c.format, c])).values()];
    const rejected = await rejections(
      unique,
      (c) => sandbox!.outputFormat(c.format),
      (c) => `-o ${c.format}\n    in ${shown(c.line)}`,
    );
    const all = [...problems, ...rejected];
    expect(all, `kubectl cannot parse ${all.length} output templates:\n${all.join('\n')}`).toEqual([]);
  });
});
