// A lesson's own challenge on a real nodes-1 lab from the production lab engine, its hidden setup already run: for
// the grader tests that replay a lesson's story step by step (solutions, faults, checks) with the grader's runner.
// Registers the calling file's beforeAll/afterAll; the fields are there once beforeAll has run.
import { afterAll, beforeAll, expect } from 'vitest';
import { loadChallengeOrThrow } from '../../../course/challenge/challenge-loader.ts';
import type { Challenge, Task } from '../../../course/challenge/challenge-schema.ts';
import { runScript } from '../../../lab-runner/grader/check-runner.ts';
import type { LabExec, ScriptResult } from '../../../lab-runner/grader/check-runner.ts';
import { runSetup } from '../../../lab-runner/grader/setup-runner.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

export interface LessonChallengeLab {
  readonly challenge: Challenge;
  task(id: string): Task;
  /** Runs a script as the grader does (preamble, verdict), with a 60 s limit; on node1 unless told. */
  run(script: string, label: string, target?: string): Promise<ScriptResult>;
}

/** `file`: the lesson's challenge.yaml; `learnerId`: the lab's owner, unique per test file. */
export function lessonChallengeLab(file: string, learnerId: string): LessonChallengeLab {
  let t: TestEngine | undefined;
  let ready: { challenge: Challenge; lab: ReadyLab; exec: LabExec } | undefined;
  beforeAll(async () => {
    const challenge = await loadChallengeOrThrow(file);
    t = makeTestEngine();
    const lab = await t.engine.labs.create({ template: 'nodes-1', learnerId });
    const exec: LabExec = t.engine.labs.exec.bind(t.engine.labs);
    expect((await runSetup(exec, lab.id, challenge)).ok).toBe(true);
    ready = { challenge, lab, exec };
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });
  const get = () => {
    if (!ready) throw new Error('the lesson challenge lab is not up: its beforeAll failed or has not run');
    return ready;
  };
  return {
    get challenge() {
      return get().challenge;
    },
    task: (id) => {
      const task = get().challenge.tasks.find((x) => x.id === id);
      if (!task) throw new Error(`${file} has no task ${id}`);
      return task;
    },
    run: (script, label, target = 'node1') => runScript(get().exec, { labId: get().lab.id, target, script, timeoutMs: 60_000, label }),
  };
}
