// The host verdict the catalog shows is only a reduction of the kind preflight's checks: a failed check stops every
// kind lesson, a check naming lessons (kernel features) stops those, "not checked" marks nothing.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../lab-runner/kind/host-preflight.ts';
import { kindSupportFrom } from '../../../lab-runner/host/kind-host-support.ts';
import { byHandCounterpart, lessonRuntime } from '../../../course/content/lesson-runtime.ts';
import { checkAnchor, lessonBlock, type HostSupportView } from '../../../lab-runner/wire/host-support.ts';
import type { LessonEntry, ModuleEntry } from '../../../course/content/load-content.ts';

const ok = (name: string): CheckResult => ({ name, status: 'ok', detail: 'fine' });

describe('kindSupportFrom', () => {
  it('is ready when nothing fails, warnings included', () => {
    const v = kindSupportFrom([ok('Docker reachable'), { name: 'inotify watches', status: 'warn', detail: 'low', fix: 'sysctl' }]);
    expect(v).toMatchObject({ status: 'ready', lessons: {} });
  });

  it('is unavailable with the first failed check as the one-line reason and its fix', () => {
    const v = kindSupportFrom([
      ok('Docker reachable'),
      { name: 'cgroups', status: 'fail', detail: "cgroup v1 (cgroupfs driver): Kubernetes 1.37's kubelet refuses cgroup v1", fix: 'Boot with cgroup v2' },
      { name: 'Privileged containers', status: 'fail', detail: '--privileged refused', fix: 'a host that allows it' },
    ]);
    expect(v.status).toBe('unavailable');
    expect(v.status === 'unavailable' && v.block).toEqual({
      check: 'cgroups',
      reason: "cgroups: cgroup v1 (cgroupfs driver): Kubernetes 1.37's kubelet refuses cgroup v1",
      fix: 'Boot with cgroup v2',
    });
  });

  it('marks only the lessons a kernel-feature check names, and not when it could not check', () => {
    const nfqueue = {
      name: 'Kernel: NFQUEUE',
      status: 'warn',
      detail: 'nfnetlink_queue not in this kernel',
      fix: 'modprobe',
      lessons: ['dns-and-policy/network-policy'],
    } as CheckResult;
    const unknown = { name: 'Kernel: recent', status: 'warn', detail: 'not checked: remote engine', lessons: ['edge-and-dataplane/dataplanes'] } as CheckResult;
    const v = kindSupportFrom([ok('Docker reachable'), nfqueue, unknown]);
    expect(v.status).toBe('ready');
    expect(v.lessons).toEqual({
      'dns-and-policy/network-policy': { check: 'Kernel: NFQUEUE', reason: 'Kernel: NFQUEUE: nfnetlink_queue not in this kernel', fix: 'modprobe' },
    });
  });
});

describe('lessonBlock', () => {
  const view: HostSupportView = {
    nodes: { status: 'ready' },
    kind: { status: 'ready', lessons: { 'a/b': { check: 'Kernel: x', reason: 'Kernel: x: missing' } } },
  };
  it('answers per runtime and lesson', () => {
    expect(lessonBlock(view, 'a/b', 'kind')?.check).toBe('Kernel: x');
    expect(lessonBlock(view, 'a/c', 'kind')).toBeUndefined();
    expect(lessonBlock(view, 'a/b', 'nodes')).toBeUndefined();
    expect(lessonBlock({ ...view, kind: { status: 'unknown', reason: 'no platform' } }, 'a/b', 'kind')).toBeUndefined();
    expect(lessonBlock(undefined, 'a/b', 'kind')).toBeUndefined();
  });
  it('anchors checks on /host by name', () => {
    expect(checkAnchor('Privileged containers')).toBe('privileged-containers');
    expect(checkAnchor('Kernel: NFQUEUE (nfnetlink_queue)')).toBe('kernel-nfqueue-nfnetlink-queue');
  });
});

describe('byHandCounterpart', () => {
  const lesson = (id: string, sandbox: string) => ({ id, href: `/learn/${id}`, frontmatter: { sandbox, title: id } }) as unknown as LessonEntry;
  const kinds: Record<string, 'nodes' | 'kind'> = { 'nodes-1': 'nodes', 'nodes-2': 'nodes', 'kind-default': 'kind', 'kind-no-cni': 'kind' };
  const runtimeOf = (l: LessonEntry) => lessonRuntime(l, (n) => kinds[n]);
  const mod = {
    lessons: [lesson('m/by-hand-1', 'nodes-2'), lesson('m/by-hand-2', 'nodes-1'), lesson('m/in-kind', 'kind-default'), lesson('m/in-kind-2', 'kind-no-cni')],
  } as unknown as ModuleEntry;

  it("is the nearest earlier bare-node lesson of the kind lesson's module", () => {
    expect(byHandCounterpart(mod, mod.lessons[2]!, runtimeOf)?.id).toBe('m/by-hand-2');
    expect(byHandCounterpart(mod, mod.lessons[3]!, runtimeOf)?.id).toBe('m/by-hand-2');
  });
  it('is absent for bare-node lessons and for modules that start in kind', () => {
    expect(byHandCounterpart(mod, mod.lessons[1]!, runtimeOf)).toBeUndefined();
    const kindOnly = { lessons: [lesson('k/a', 'kind-default')] } as unknown as ModuleEntry;
    expect(byHandCounterpart(kindOnly, kindOnly.lessons[0]!, runtimeOf)).toBeUndefined();
  });
});
