// GET /api/challenge/stream?labId=…&lesson=… — Server-Sent Events: one "state" event per change of the challenge
// view (task statuses, verdicts, last check time), or one "error" event with the error body and its status
// (ChallengeStreamError). While a page holds this stream the lab is graded continuously.
import { z } from 'zod';
import type { ChallengeView } from '../../../../lab-runner/wire/challenge.ts';
import { apiRoute } from '../../_lib/api-route.ts';
import { labIdField, lessonIdField } from '../../_lib/id-fields.ts';
import { readQuery } from '../../_lib/read-request.ts';
import { sse } from '../../_lib/sse.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ labId: labIdField(), lesson: lessonIdField() });

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => {
    const { labId, lesson } = readQuery(request, query);
    // The grader ends the watch itself when the lab is reset: the page reconnects at once (retry 500 ms).
    return sse(request, (send, end) => platform.grader.watch({ labId, lesson, learnerId: learner.id }, (view: ChallengeView) => send('state', view), end), {
      retryMs: 500,
    });
  });
}
