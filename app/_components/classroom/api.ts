// The classroom pages' calls: JSON in, JSON out, errors as thrown messages a page can show.
import { withNetworkRetry } from '../lab/lab-client.ts';

export async function api<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? (init.body !== undefined ? 'POST' : 'GET');
  // A read is repeated when the network drops it (ERR_NETWORK_CHANGED as a lab's Docker network comes or goes), like
  // the lab page's; a change is not (it could happen twice).
  return method === 'GET' ? withNetworkRetry(() => apiOnce<T>(url, method, init.body)) : apiOnce<T>(url, method, init.body);
}

async function apiOnce<T>(url: string, method: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? `HTTP ${res.status}`);
  return data;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface Me {
  mode: 'anonymous' | 'accounts' | 'oidc';
  /** Single sign-on is offered (AUTH=oidc, or accounts with OIDC_* set). */
  sso: boolean;
  account: { id: string; email: string; name: string; role: 'learner' | 'trainer' | 'admin' } | null;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
}
