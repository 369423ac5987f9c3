// Browser calls for exam mode (/api/exams).
import type { ExamAttemptSummaryView, ExamAttemptView, ExamSummaryView } from '../../../lab-runner/wire/practice.ts';
import { LabApiError } from '../lab/lab-client.ts';

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new LabApiError(res.status, b.error ?? `The server answered ${res.status}.`, b.code);
  }
  return (await res.json()) as T;
}

export const listExams = () => call<{ exams: ExamSummaryView[]; attempts: ExamAttemptSummaryView[] }>('GET', '/api/exams');
export const startExam = async (exam: string) => (await call<{ attempt: ExamAttemptView }>('POST', '/api/exams', { exam })).attempt;
export const getAttempt = async (id: string) => (await call<{ attempt: ExamAttemptView }>('GET', `/api/exams/attempts/${encodeURIComponent(id)}`)).attempt;
export const flagTask = async (id: string, index: number, flagged: boolean) =>
  (await call<{ attempt: ExamAttemptView }>('POST', `/api/exams/attempts/${encodeURIComponent(id)}/flag`, { index, flagged })).attempt;
export const submitAttempt = async (id: string) =>
  (await call<{ attempt: ExamAttemptView }>('POST', `/api/exams/attempts/${encodeURIComponent(id)}/submit`)).attempt;
export const attemptTicketUrl = (id: string, task: number) => `/api/exams/attempts/${encodeURIComponent(id)}/ticket?task=${task}`;
