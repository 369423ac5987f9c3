// Browser calls for the practice features (#19): a lab's time left, Extend, Rewind.
import type { LabTimeView, RewindView } from '../../../lab-runner/wire/practice.ts';
import { withNetworkRetry, type LabView } from '../lab/lab-client.ts';
import { callApi } from '../call-api.ts';

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const once = () => callApi<T>(method, url, body);
  // Reading the time is safe to repeat; Extend and Rewind are not repeated on a dropped connection.
  return method === 'GET' ? withNetworkRetry(once) : once();
}

export async function labTime(labId: string): Promise<LabTimeView> {
  return (await call<{ time: LabTimeView }>('GET', `/api/labs/${encodeURIComponent(labId)}/time`)).time;
}

export async function extendLab(labId: string): Promise<LabTimeView> {
  return (await call<{ time: LabTimeView }>('POST', `/api/labs/${encodeURIComponent(labId)}/extend`)).time;
}

/** Rebuilds the lab to before `taskId` (or to where the learner was): the answer names the lab (a new one if it was gone). */
export async function rewindLab(labId: string, lesson: string, taskId?: string): Promise<{ rewind: RewindView; lab: LabView | null }> {
  return call('POST', `/api/labs/${encodeURIComponent(labId)}/rewind`, taskId ? { lesson, taskId } : { lesson });
}
