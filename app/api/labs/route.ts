// /api/labs
//   GET  ?sandbox=nodes-2[&lesson=…]  the learner's active lab for that sandbox ({ lab: LabView | null }), with
//                           lab.preparedFor: the lesson whose challenge setup ran on it, if any (a lab is per sandbox,
//                           so it may be another lesson than the page's). lesson, when given, is the page's lesson,
//                           validated like POST's (422 if unknown or of another sandbox). Without sandbox, all their
//                           active labs ({ labs: LabView[] }). A reload finds the same lab.
//   POST { sandbox, lesson? } start (or join) the learner's lab for a sandbox. Errors before provisioning starts
//                           get a status (422, 429, 503…); after that the response is NDJSON, one line per
//                           update: { type: "lab", lab } while provisioning and when ready, or
//                           { type: "error", status, error } if provisioning fails. With a lesson (one that runs
//                           in that sandbox), the lesson's challenge setup (break-fix faults) has run on the lab
//                           before the ready line, so it is in place before the learner's first keystroke.
import { z } from 'zod';
import { isActive, LabRunnerError, toLabView, type LabEvent } from '../../../lab-runner/index.ts';
import type { LabStartLine, LabView } from '../../../lab-runner/wire/lab.ts';
import { apiRoute, json, type RouteContext } from '../_lib/api-route.ts';
import { describeError } from '../_lib/error-response.ts';
import { lessonIdField, sandboxNameField } from '../_lib/id-fields.ts';
import { readBody, readQuery } from '../_lib/read-request.ts';
import { lessonToPrepare, prepareLesson, withPreparedFor } from './_lib/lesson-setup.ts';

export const dynamic = 'force-dynamic';

const findQuery = z.object({ sandbox: sandboxNameField().optional(), lesson: lessonIdField().optional() });
const startBody = z.strictObject({ sandbox: sandboxNameField(), lesson: lessonIdField().optional() });

async function activeLabFor(ctx: RouteContext, sandbox: string) {
  const labs = await ctx.platform.labs.list({ learnerId: ctx.learner.id });
  // Newest first: if an old lab lingers, the one the learner started last is the one they mean.
  return labs.filter((l) => l.template === sandbox && isActive(l)).sort((a, b) => +b.createdAt - +a.createdAt)[0];
}

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const { sandbox, lesson } = readQuery(request, findQuery);
    if (sandbox === undefined) {
      const labs = await ctx.platform.labs.list({ learnerId: ctx.learner.id });
      return json({ labs: labs.filter(isActive).map(toLabView) });
    }
    lessonToPrepare(lesson, sandbox); // 422 for a lesson of another sandbox or none of this course
    const lab = await activeLabFor(ctx, sandbox);
    return json({ lab: lab ? await withPreparedFor(ctx, toLabView(lab)) : null });
  });
}

export async function POST(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, startBody);
    const { sandbox } = body;
    const lesson = lessonToPrepare(body.lesson, sandbox);
    const labs = ctx.platform.labs;
    const prepare = (id: string) => prepareLesson(ctx, id, lesson);
    const existing = await activeLabFor(ctx, sandbox);
    if (existing && existing.state !== 'pending') {
      await prepare(existing.id);
      return ndjson(ndjsonLine({ type: 'lab', lab: await withPreparedFor(ctx, toLabView(existing)) }));
    }

    // Updates are buffered until the response stream exists, then flushed and forwarded as they come.
    const updates: LabStartLine[] = [];
    let push: ((u: LabStartLine) => void) | undefined;
    let provisionSteps = 0;
    const emit = (u: LabStartLine) => {
      provisionSteps = Math.max(provisionSteps, u.type === 'lab' ? (u.lab.progress?.totalSteps ?? 0) : 0);
      if (push) push(u);
      else updates.push(u);
    };
    let labId = existing?.id;
    let firstSignal: () => void = () => {};
    const started = new Promise<void>((r) => (firstSignal = r));

    const onEvent = async (event: LabEvent) => {
      if (labId && event.labId !== labId) return;
      labId ??= event.labId;
      firstSignal();
      if (event.type === 'progress' || (event.type === 'state' && event.state === 'pending')) {
        // Progress is best effort: a failed read must not become an unhandled rejection.
        const lab = await labs.get(event.labId).catch(() => undefined);
        if (lab && lab.state === 'pending')
          emit({ type: 'lab', lab: { ...toLabView(lab), progress: event.type === 'progress' ? event.progress : toLabView(lab).progress } });
      }
    };

    let finished: Promise<LabView>;
    let unsubscribe = () => {};
    if (existing) {
      // Join a lab that is still provisioning (e.g. the page was reloaded meanwhile).
      unsubscribe = labs.subscribe((e) => void onEvent(e));
      firstSignal();
      emit({ type: 'lab', lab: toLabView(existing) });
      finished = waitUntilSettled(ctx, existing.id);
    } else {
      finished = labs.create({ template: sandbox, learnerId: ctx.learner.id, clientKey: ctx.client, onEvent: (e) => void onEvent(e) }).then(toLabView);
    }
    if (lesson) {
      // The lab is up; the lesson's setup runs before the ready line. The learner sees it as one more step.
      finished = finished.then(async (lab) => {
        const totalSteps = provisionSteps + 1;
        emit({ type: 'lab', lab: { ...lab, state: 'pending', targets: [], progress: { step: totalSteps, totalSteps, label: 'Preparing the lesson' } } });
        await prepare(lab.id);
        return withPreparedFor(ctx, lab);
      });
    }
    // Fail with a proper status if provisioning never started (capacity, Docker down, unknown sandbox…).
    const early = await Promise.race([
      started.then(() => undefined),
      finished.then(
        () => undefined,
        (err: unknown) => err,
      ),
    ]);
    if (early !== undefined) {
      unsubscribe();
      throw early;
    }

    const encoder = new TextEncoder();
    let open = true;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Never throw from here: a browser that went away must not become an unhandled rejection.
        const write = (u: LabStartLine) => {
          if (open) controller.enqueue(encoder.encode(ndjsonLine(u)));
        };
        for (const u of updates) write(u);
        push = write;
        void finished
          .then(
            (lab) => write({ type: 'lab', lab }),
            (err: unknown) => {
              const { status, body } = describeError(err);
              write({ type: 'error', status, ...body });
            },
          )
          .finally(() => {
            push = () => {};
            unsubscribe();
            if (open) {
              open = false;
              controller.close();
            }
          });
      },
      cancel() {
        // The browser went away; provisioning carries on and a later GET finds the lab.
        open = false;
        push = () => {};
        unsubscribe();
      },
    });
    return ndjson(stream);
  });
}

/** The start answer once provisioning has begun (or the lab exists): NDJSON lines, whole or streamed. */
function ndjson(body: string | ReadableStream<Uint8Array>): Response {
  // x-accel-buffering: a proxy (nginx) passes each progress line on as it comes, as for the SSE streams.
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
}

const ndjsonLine = (line: LabStartLine): string => JSON.stringify(line) + '\n';

/** Resolves when a pending lab becomes ready; rejects with its error if it fails or disappears. */
function waitUntilSettled(ctx: RouteContext, labId: string): Promise<LabView> {
  const labs = ctx.platform.labs;
  return new Promise((resolve, reject) => {
    let done = false;
    const check = async () => {
      if (done) return;
      let lab: Awaited<ReturnType<typeof labs.get>>;
      try {
        lab = await labs.get(labId);
      } catch {
        return; // a failed read decides nothing; the next poll asks again
      }
      if (done) return;
      if (!lab || lab.state === 'destroyed') finish(() => reject(new LabRunnerError('lab-destroyed', `Lab ${labId} was stopped while it was starting.`)));
      else if (lab.state === 'failed') finish(() => reject(new LabRunnerError('provision-failed', lab.error)));
      else if (lab.state !== 'pending') finish(() => resolve(toLabView(lab)));
    };
    const unsubscribe = labs.subscribe((e) => {
      if (e.labId === labId && e.type === 'state') void check();
    });
    // Events can be missed between the read above and subscribing; a slow poll closes that gap.
    const timer = setInterval(() => void check(), 1000);
    const finish = (f: () => void) => {
      done = true;
      clearInterval(timer);
      unsubscribe();
      f();
    };
    void check();
  });
}
