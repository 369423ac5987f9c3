// Browser calls for the Map and Capture tabs (/api/labs/:labId/map, captures, impairments). Errors are LabApiError
// with the server's message, written for learners.
import { LabApiError } from '../lab/lab-client.ts';
import type { CaptureView, ImpairmentRequest, LabMap, PacketDetail } from '../../../lab-runner/wire/network.ts';

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new LabApiError(res.status, b.error ?? `The lab server answered ${res.status}.`, b.code);
  }
  return (await res.json()) as T;
}

const base = (labId: string) => `/api/labs/${encodeURIComponent(labId)}`;

export const fetchMap = async (labId: string, routes: boolean) => (await call<{ map: LabMap }>('GET', `${base(labId)}/map${routes ? '?routes=1' : ''}`)).map;

export interface CaptureStart {
  target: string;
  ns: string;
  iface: string;
  filter?: string;
}
export const startCapture = async (labId: string, req: CaptureStart) => (await call<{ capture: CaptureView }>('POST', `${base(labId)}/captures`, req)).capture;
export const stopCapture = async (labId: string, id: string) => (await call<{ capture: CaptureView }>('POST', `${base(labId)}/captures/${id}/stop`)).capture;
export const fetchPacket = async (labId: string, id: string, no: number) =>
  (await call<{ packet: PacketDetail }>('GET', `${base(labId)}/captures/${id}/packets/${no}`)).packet;
export const captureEventsUrl = (labId: string, id: string) => `${base(labId)}/captures/${id}/events`;
export const captureDownloadUrl = (labId: string, id: string) => `${base(labId)}/captures/${id}/pcapng`;
export const impair = (labId: string, req: ImpairmentRequest) => call<{ ok: true }>('POST', `${base(labId)}/impairments`, req);
export const clearImpairment = (labId: string, target: { target: string; ns: string; iface: string }) =>
  call<{ ok: true }>('DELETE', `${base(labId)}/impairments`, target);
