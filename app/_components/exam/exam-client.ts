// Browser calls for exam mode (/api/exams).
import type { ExamAttemptSummaryView, ExamAttemptView, ExamSummaryView } from '../../../lab-runner/wire/practice.ts';
import { callApi } from '../call-api.ts';

export const listExams = () => callApi<{ exams: ExamSummaryView[]; attempts: ExamAttemptSummaryView[] }>('GET', '/api/exams');
export const startExam = async (exam: string) => (await callApi<{ attempt: ExamAttemptView }>('POST', '/api/exams', { exam })).attempt;
export const getAttempt = async (id: string) => (await callApi<{ attempt: ExamAttemptView }>('GET', `/api/exams/attempts/${encodeURIComponent(id)}`)).attempt;
export const flagTask = async (id: string, index: number, flagged: boolean) =>
  (await callApi<{ attempt: ExamAttemptView }>('POST', `/api/exams/attempts/${encodeURIComponent(id)}/flag`, { index, flagged })).attempt;
export const submitAttempt = async (id: string) =>
  (await callApi<{ attempt: ExamAttemptView }>('POST', `/api/exams/attempts/${encodeURIComponent(id)}/submit`)).attempt;
export const attemptTicketUrl = (id: string, task: number) => `/api/exams/attempts/${encodeURIComponent(id)}/ticket?task=${task}`;
