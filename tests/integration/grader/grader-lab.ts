// A real lab for grader tests, created by the production lab engine (createLabEngine on a throwaway DATA_DIR, so
// its store id and labels are its own): the template's node containers with the capabilities, seccomp and AppArmor
// posture, init and limits every learner gets. Presented to the grader as a LabManager-shaped facade whose calls go
// to the engine's LabManager; only "last activity" is the harness's own, so tests can play an idle learner.
import type { Lab, ReadyLab } from '../../../lab-runner/lab/lab.ts';
import type { ContainerRuntime, ExecOptions, ExecResult, StreamExec, StreamExecOptions } from '../../../lab-runner/runtime/container-runtime.ts';
import { makeTestEngine } from '../lab/lab-engine-fixture.ts';

export interface GraderLab {
  runtime: ContainerRuntime;
  labId: string;
  learnerId: string;
  /** Target name -> container id; updated by reset. */
  containers: Map<string, string>;
  /** What LabManager.get reports as the learner's last activity (terminal input); the grader slows down when idle. */
  lastActiveAt: Date;
  /** LabManager.exec / execStream / get / create / reset / destroy over this lab. */
  labs: {
    exec(labId: string, target: string, opts: ExecOptions): Promise<ExecResult>;
    execStream(labId: string, target: string, opts: StreamExecOptions): Promise<StreamExec>;
    get(labId: string): Promise<Lab | undefined>;
    create(): Promise<ReadyLab>;
    reset(labId: string): Promise<ReadyLab>;
    destroy(labId: string): Promise<void>;
  };
  /** Run a shell command as the learner would (root in the target). */
  sh(target: string, script: string): Promise<ExecResult>;
  close(): Promise<void>;
}

export async function startGraderLab(opts: { template?: string } = {}): Promise<GraderLab> {
  const t = makeTestEngine();
  const learnerId = 'learner-grader-int-0001';
  let lab: ReadyLab;
  try {
    lab = await t.engine.labs.create({ template: opts.template ?? 'nodes-2', learnerId, usePool: false });
  } catch (err) {
    await t.cleanup();
    throw err;
  }
  const labId = lab.id;
  const containers = new Map<string, string>();
  const track = (l: ReadyLab) => {
    containers.clear();
    for (const target of l.targets) containers.set(target.name, target.containerId);
    return l;
  };
  track(lab);
  const ours = (id: string) => {
    if (id !== labId) throw new Error(`this harness serves lab ${labId}, not ${id}`);
  };
  const result: GraderLab = {
    runtime: t.engine.runtime,
    labId,
    learnerId,
    containers,
    labs: {
      exec: async (id, target, o) => {
        ours(id);
        return t.engine.labs.exec(id, target, o);
      },
      execStream: async (id, target, o) => {
        ours(id);
        return t.engine.labs.execStream(id, target, o);
      },
      get: async (id) => {
        const l = id === labId ? await t.engine.labs.get(id) : undefined;
        return l && { ...l, lastActiveAt: result.lastActiveAt };
      },
      create: async () => lab,
      // The engine's reset: fresh node containers on the same network (lab verify runs each near miss on one).
      reset: async (id) => {
        ours(id);
        lab = track(await t.engine.labs.reset(id));
        return lab;
      },
      // The test owns the lab's life: close() destroys it.
      destroy: async () => {},
    },
    lastActiveAt: new Date(),
    sh: (target, script) => t.engine.labs.exec(labId, target, { cmd: ['bash', '-c', script], timeoutMs: 30_000 }),
    close: () => t.cleanup(),
  };
  return result;
}
