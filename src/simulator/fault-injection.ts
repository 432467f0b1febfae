import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './faults';
import { type Headers, RATE_LIMITED, resetConnection, send } from './http';
import type { RequestRecord } from './request-log';

/** How long a `slow` fault stalls when it does not say. */
const DEFAULT_STALL_MS = 2000;

/** A fault's name in the request log: `503`, `reset`, `500 after applying`. */
export function describeFault(fault: Fault): string {
  const what = fault.kind === 'status' ? String(fault.status ?? 500) : fault.kind;
  return fault.after ? `${what} after applying` : what;
}

/** Whether the fault strikes after the request is carried out (its effect stays) rather than before. */
export const strikesAfter = (fault: Fault) => fault.after === true || fault.kind === 'truncate';

/**
 * Plays the fault: a stall returns false (the request is then answered normally); any other fault
 * answers the request itself, or drops it, and returns true. `payload` is the answer it spoils.
 */
export async function playFault(
  fault: Fault,
  res: ServerResponse,
  record: RequestRecord,
  headers: Headers,
  payload?: unknown,
): Promise<boolean> {
  if (fault.kind === 'slow') {
    // Unreferenced: a stall keeps no process alive once the server is closed (a test's simulator).
    await sleep(fault.delayMs ?? DEFAULT_STALL_MS, undefined, { ref: false });
    return false;
  }
  if (fault.kind === 'truncate') {
    const text = JSON.stringify(payload ?? {});
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text.slice(0, Math.floor(text.length / 2)));
  } else if (fault.kind === 'reset') {
    record.status = 0;
    resetConnection(res);
  } else {
    answerWithStatus(fault, res, record, headers);
  }
  return true;
}

function answerWithStatus(fault: Fault, res: ServerResponse, record: RequestRecord, headers: Headers): void {
  const status = fault.status ?? 500;
  record.status = status;
  if (status === 429) {
    send(res, status, RATE_LIMITED, { ...headers, 'retry-after': String(fault.retryAfter ?? 1) });
  } else {
    send(res, status, { id: 'server_error', message: 'Unexpected server-side error' }, headers);
  }
}
