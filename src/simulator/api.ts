import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeApi } from './api-routes';
import { describeFault, playFault, strikesAfter } from './fault-injection';
import { type Headers, RATE_LIMITED, resetConnection, send } from './http';
import type { SimulatorState } from './state';

/**
 * One API request, logged, through what stands between a client and the API (an outage, the
 * token, the limits, an injected fault), then its route.
 */
export async function handleApiRequest(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const record = state.log.open(method, path, body);
  const reply = (status: number, payload?: unknown, headers: Headers = {}) => {
    record.status = status;
    send(res, status, payload, headers);
  };
  if (Date.now() < state.outageUntil) {
    record.fault = 'outage';
    return resetConnection(res);
  }
  if (req.headers.authorization !== `Bearer ${state.config.token}`) {
    return reply(401, { id: 'Unauthorized', message: 'Unable to authenticate you' });
  }
  const { headers, refusedBy } = state.limits.admit(state.config.token, Date.now());
  if (refusedBy) {
    record.fault = refusedBy;
    return reply(429, RATE_LIMITED, headers);
  }
  const fault = state.faults.next(method, path);
  if (fault) record.fault = describeFault(fault);
  const after = fault && strikesAfter(fault);
  if (fault && !after && (await playFault(fault, res, record, headers))) return;
  const [status, payload] = routeApi(state, method, path, body);
  if (fault && after && (await playFault(fault, res, record, headers, payload))) return;
  reply(status, payload, headers);
}
