// Shared setup for the kind provisioner's integration tests on hosts that cannot run kind.
// The stand-in image (tests/fixtures/images/kind-standin) is NOT a kind node: these tests exercise the generic
// machinery (network, concurrent creation with kind's names and labels, log wait, exec stdin, save/import,
// teardown) against the real Docker engine, with privileged off because this host refuses --privileged.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { labLabels } from '../../../lab-runner/labels.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';

export const STANDIN_DIR = path.join(import.meta.dirname, '../../fixtures/images/kind-standin');
export const JUMPBOX_DIR = path.join(import.meta.dirname, '../../../sandboxes/images/jumpbox');

/** Local Debian bases, best first: what `npm run images` builds, then the test base this machine ships. */
const BASE_CANDIDATES = ['packetwalk/node:latest', 'pw-test/base:1'];

export function runtime(): ContainerRuntime {
  return new DockerRuntime();
}

function hashDir(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex').slice(0, 12);
}

export async function localBase(rt: ContainerRuntime): Promise<string> {
  for (const ref of BASE_CANDIDATES) if (await rt.inspectImage(ref)) return ref;
  throw new Error(`no local Debian base image (${BASE_CANDIDATES.join(', ')}); run "npm run images" first`);
}

/** Builds dir's Dockerfile FROM the local base unless an image with the same content hash (and args) exists. */
export async function buildOnce(rt: ContainerRuntime, dir: string, repo: string, args: Record<string, string> = {}): Promise<string> {
  const base = await localBase(rt);
  const argTag = Object.values(args).join('-');
  const tag = `${repo}:${hashDir(dir)}${argTag ? `-${argTag}` : ''}`;
  if (!(await rt.inspectImage(tag))) await rt.buildImage({ contextDir: dir, tag, buildArgs: { BASE: base, ...args } });
  return tag;
}

/** The Kubernetes version the stand-in says it runs unless asked for another: kubeadm's v1beta3 config API. */
export const STANDIN_KUBE_VERSION = 'v1.35.8';
/** The stand-in node image; kubeVersion is what its /kind/version says. One tag per version, the default's included. */
export const standinImage = (rt: ContainerRuntime, kubeVersion = STANDIN_KUBE_VERSION) =>
  buildOnce(rt, STANDIN_DIR, 'pw-test/kind-standin', { KUBE_VERSION: kubeVersion });
export const jumpboxImage = (rt: ContainerRuntime) => buildOnce(rt, JUMPBOX_DIR, 'pw-test/jumpbox');

/** A small FROM-scratch image (one 2 MB random file) to load into nodes: saving a 400 MB base would only cost time. */
export async function tinyImage(rt: ContainerRuntime, tag: string): Promise<string> {
  if (await rt.inspectImage(tag)) return tag;
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-tiny-'));
  try {
    writeFileSync(path.join(dir, 'payload'), randomBytes(2 * 1024 * 1024));
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY payload /payload\n');
    await rt.buildImage({ contextDir: dir, tag });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}

export function testLab(prefix: string): { labId: string; labels: Record<string, string> } {
  const labId = `${prefix}-${process.pid}-${Date.now().toString(36)}`;
  return { labId, labels: labLabels({ labId, learnerId: 'test', template: 'kind-standin', expiresAt: new Date(Date.now() + 3600_000) }) };
}
