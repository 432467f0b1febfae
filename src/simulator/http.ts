import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

/** An answer before it is sent: status and JSON body (none for a 204). */
export type Reply = [status: number, body?: unknown];

/** DigitalOcean's error body: a stable `id` and a sentence (`request_id` is added when it is sent). */
export const apiError = (status: number, id: string, message: string): Reply => [status, { id, message }];

export const notFound = (): Reply => apiError(404, 'not_found', 'The resource you were accessing could not be found.');

export const RATE_LIMITED = { id: 'too_many_requests', message: 'API Rate limit exceeded.' };

/** The request's body as text, once it has all arrived. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A JSON answer with DigitalOcean's headers; an error body also carries the request's ID, as the API's do. */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Headers = {}): void {
  const requestId = randomUUID();
  const payload =
    body === undefined ? '' : JSON.stringify(status >= 400 ? { ...(body as object), request_id: requestId } : body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers });
  res.end(payload);
}

/** Drops the connection without an answer, as a network failure would. */
export function resetConnection(res: ServerResponse): void {
  res.socket?.resetAndDestroy();
}

export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}
