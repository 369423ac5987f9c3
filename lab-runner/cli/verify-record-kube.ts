// `lab verify --record-kube=DIR`: records each kind lesson's solved lab for the kind-view tests. A recording that
// fails is reported on its own (the lesson's verification stands) and makes verify exit 1.
import type { LessonChallenge } from '../../course/challenge/lesson-challenges.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import { recordKubeObjects } from '../network/kube-record.ts';

export interface KubeRecorder {
  record(lesson: LessonChallenge, labId: string): Promise<void>;
  failed(): number;
  summary(): string;
}

export function kubeRecorder(deps: { labs: Pick<LabManager, 'get' | 'exec'>; outDir: string; sandboxesDir: string }): KubeRecorder {
  const done: { lesson: string; dir?: string; error?: string }[] = [];
  return {
    async record(lesson, labId) {
      try {
        const lab = await deps.labs.get(labId);
        if (lab?.state !== 'ready') throw new Error(`the lab is ${lab?.state ?? 'gone'}`);
        const dir = await recordKubeObjects({
          labs: deps.labs,
          labId,
          template: lab.template,
          targets: lab.targets,
          sandboxesDir: deps.sandboxesDir,
          outDir: deps.outDir,
          lesson: lesson.lesson,
        });
        done.push({ lesson: lesson.lesson, dir });
      } catch (err) {
        done.push({ lesson: lesson.lesson, error: err instanceof Error ? err.message : String(err) });
      }
    },
    failed: () => done.filter((d) => d.error).length,
    summary: () =>
      `\nkind views recorded (${done.filter((d) => d.dir).length} of ${done.length}):\n` +
      done.map((d) => (d.dir ? `  ok   ${d.lesson} -> ${d.dir}\n` : `  FAIL ${d.lesson}: ${d.error}\n`)).join(''),
  };
}
