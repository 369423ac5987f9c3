// content/exams/<slug>/exam.yaml: a practice exam as data. Pools of tasks taken from lessons' challenges (break-fix
// and fault tasks), how many to draw from each, and the time allowed. Strict, like challenge.yaml: a typo is an error.
import { z } from 'zod';

const lessonRef = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: 'must be a lesson id such as troubleshooting/troubleshooting-by-hand (module slug / lesson slug)' });
const taskRef = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, { message: "must be a task id of the lesson's challenge.yaml" });

export const examItemSchema = z
  .strictObject({
    lesson: lessonRef.meta({ description: 'The lesson whose challenge holds the task; the exam links to it after grading.' }),
    task: taskRef.meta({ description: 'The task id. Its lab is the lesson sandbox after setup and the solutions of the tasks before it.' }),
  })
  .meta({ description: 'One drawable task.' });

export const examPoolSchema = z
  .strictObject({
    title: z.string().min(1).max(120).meta({ description: 'What the pool covers, for authors and the results page.' }),
    count: z.number().int().min(1).max(10).meta({ description: 'How many tasks each attempt draws from this pool.' }),
    tasks: z.array(examItemSchema).min(1).meta({ description: 'The tasks an attempt may draw.' }),
  })
  .superRefine((p, ctx) => {
    if (p.count > p.tasks.length) ctx.addIssue({ code: 'custom', path: ['count'], message: `draws ${p.count} tasks from a pool of ${p.tasks.length}` });
  });

export const examSchema = z
  .strictObject({
    title: z.string().min(1).max(120).meta({ description: 'Shown in the exam list: "Pod and Service networking".' }),
    description: z.string().min(1).max(2000).optional().meta({ description: 'One paragraph: what the exam covers and for whom.' }),
    minutes: z.number().int().min(1).max(240).meta({ description: 'Time allowed; the attempt is graded when it runs out.' }),
    pools: z.array(examPoolSchema).min(1).meta({ description: 'Task pools; an attempt draws `count` from each.' }),
  })
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.pools.forEach((p, i) =>
      p.tasks.forEach((t, j) => {
        const key = `${t.lesson}#${t.task}`;
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: ['pools', i, 'tasks', j], message: `task ${key} is listed twice (a draw could hold it twice)` });
        seen.add(key);
      }),
    );
  });

export type Exam = z.output<typeof examSchema>;
export type ExamItem = z.output<typeof examItemSchema>;
