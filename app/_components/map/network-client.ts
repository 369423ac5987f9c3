// Browser calls for the Map and Capture tabs (/api/labs/:labId/map, captures, impairments). Errors are LabApiError
// with the server's message, written for learners.
import { callApi } from '../call-api.ts';
import type { CaptureView, ImpairmentRequest, LabMap, PacketDetail } from '../../../lab-runner/wire/network.ts';

const base = (labId: string) => `/api/labs/${encodeURIComponent(labId)}`;

export const fetchMap = async (labId: string, routes: boolean) => (await callApi<{ map: LabMap }>('GET', `${base(labId)}/map${routes ? '?routes=1' : ''}`)).map;

export interface CaptureStart {
  target: string;
  ns: string;
  iface: string;
  filter?: string;
}
export const startCapture = async (labId: string, req: CaptureStart) =>
  (await callApi<{ capture: CaptureView }>('POST', `${base(labId)}/captures`, req)).capture;
export const stopCapture = async (labId: string, id: string) => (await callApi<{ capture: CaptureView }>('POST', `${base(labId)}/captures/${id}/stop`)).capture;
export const fetchPacket = async (labId: string, id: string, no: number) =>
  (await callApi<{ packet: PacketDetail }>('GET', `${base(labId)}/captures/${id}/packets/${no}`)).packet;
export const captureEventsUrl = (labId: string, id: string) => `${base(labId)}/captures/${id}/events`;
export const captureDownloadUrl = (labId: string, id: string) => `${base(labId)}/captures/${id}/pcapng`;
export const impair = (labId: string, req: ImpairmentRequest) => callApi<{ ok: true }>('POST', `${base(labId)}/impairments`, req);
export const clearImpairment = (labId: string, target: { target: string; ns: string; iface: string }) =>
  callApi<{ ok: true }>('DELETE', `${base(labId)}/impairments`, target);
