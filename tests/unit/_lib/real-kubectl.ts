// A real kubectl binary, asked whether it accepts a command line, without a cluster. kubectl reads its flags, its
// arguments, a `--for=jsonpath=` condition and a manifest on stdin before it first talks to the API server; so
// pointed at a closed port, it either fails on the connection (everything before that was accepted) or says what it
// rejected. Output templates are parsed only after discovery, so they are checked apart: `kubectl label --local`
// prints a local object with the same printers (`jsonpath=`, `go-template=`) and needs no server.
// PACKETWALK_KUBECTL names the binary: `.ci/k8s-release-files.sh kubectl` fetches Debian's build of a pinned node image's release.
import { execFile } from 'node:child_process';
import type { ExecFileException } from 'node:child_process';
import { customColumnTemplates, outputFormat } from './kubectl-args.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REAL_KUBECTL: string | undefined = process.env.PACKETWALK_KUBECTL || undefined;

export const REAL_KUBECTL_MISSING =
  'PACKETWALK_KUBECTL is not set: `.ci/k8s-release-files.sh kubectl` fetches the kubectl of a pinned node image release (.ci/run sets it)';

/** Where kubectl is sent: nothing listens on port 1 of the loopback, so every request fails at once. */
const DEAD_SERVER = '127.0.0.1:1';

export type Verdict = { accepted: true } | { accepted: false; reason: string };

/** A scratch HOME with a kubeconfig for the dead server, and a manifest to stand in for files the lab would have. */
export class KubectlSandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'pw-kubectl-'));
  readonly kubeconfig = path.join(this.dir, 'config');
  /** What `-f <file>` reads in place of a file that exists only in the lab. */
  readonly manifest = path.join(this.dir, 'object.yaml');
  private readonly object = path.join(this.dir, 'object.json');

  private readonly kubectl: string;

  constructor(kubectl: string) {
    this.kubectl = kubectl;
    writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{ name: dead, cluster: { server: "https://${DEAD_SERVER}" } }]`,
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: dead, context: { cluster: dead, user: u, namespace: default } }]',
        'current-context: dead',
        '',
      ].join('\n'),
    );
    writeFileSync(this.manifest, STAND_IN_MANIFEST);
    writeFileSync(this.object, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }));
  }

  /** Whether kubectl takes `args` (after "kubectl") as far as a cluster: see the file's comment. */
  async commandLine(args: string[], stdin: string | undefined): Promise<Verdict> {
    const r = await this.run(['--kubeconfig', this.kubeconfig, ...this.localised(args)], stdin ?? STAND_IN_MANIFEST);
    if (r.code === 0 || r.stderr.includes(DEAD_SERVER)) return { accepted: true };
    return { accepted: false, reason: firstLines(r.stderr || r.stdout || `exit ${r.code}`) };
  }

  /** Whether kubectl's printers parse an `-o` value such as `jsonpath={.items[*].metadata.name}`. */
  async outputFormat(format: string): Promise<Verdict> {
    const r = await this.run(['label', '--local', '-f', this.object, 'pw-check=1', '-o', format], '');
    return r.code === 0 ? { accepted: true } : { accepted: false, reason: firstLines(r.stderr || r.stdout) };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * The lab's files are not here: a kubeconfig of the lab becomes the dead server's, a manifest file the stand-in.
   * Only paths are replaced; every flag stays as written.
   */
  private localised(args: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const next = args[i + 1];
      if (a.startsWith('--kubeconfig=')) out.push(`--kubeconfig=${this.kubeconfig}`);
      else if (a === '--kubeconfig' && next !== undefined) {
        out.push(a, this.kubeconfig);
        i++;
      } else if ((a === '-f' || a === '--filename') && next !== undefined && next !== '-' && !/^https?:/.test(next)) {
        out.push(a, this.manifest);
        i++;
      } else if (/^(-f|--filename)=(?!-$)/.test(a)) out.push(`${a.slice(0, a.indexOf('='))}=${this.manifest}`);
      else out.push(a);
    }
    return out;
  }

  private run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        this.kubectl,
        args,
        // A clean environment: no KUBECONFIG or proxy of the test runner's, and the cache goes to the scratch HOME.
        { encoding: 'utf8', timeout: 30_000, env: { HOME: this.dir, PATH: '/usr/bin:/bin' } as unknown as NodeJS.ProcessEnv },
        (err: ExecFileException | null, stdout: string, stderr: string) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin);
    });
  }
}

/** Any namespaced object: what `-f -` reads when the text does not say (a pipe from another command). */
const STAND_IN_MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stand-in\ndata: {}\n';

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' | ');
}

export type OutputTemplate = { format: string } | { problem: string };

/**
 * The `-o` value of a kubectl command line, when it is a template kubectl must parse: jsonpath, go-template, or
 * custom-columns (each column checked as the jsonpath kubectl reads it with: customColumnTemplates).
 */
export function outputTemplates(args: string[]): OutputTemplate[] {
  const format = outputFormat(args);
  if (!format) return [];
  if (/^(jsonpath|jsonpath-as-json|go-template|template)=/.test(format)) return [{ format }];
  if (!format.startsWith('custom-columns=')) return [];
  return customColumnTemplates(format.slice('custom-columns='.length)).map((c) => ('template' in c ? { format: `jsonpath=${c.template}` } : c));
}
