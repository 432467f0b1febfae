import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { type Server, createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { DodbError } from '../errors';

/** How long a waiting process pauses between two tries, ms (spread, so that waiters do not move in step). */
const RETRY_MIN_MS = 20;
const RETRY_SPREAD_MS = 40;

/** Why a start never got the lock: another dodb process held it until the deadline, or the operation was cancelled. */
export class StartLockError extends DodbError<'start_lock'> {
  constructor(
    readonly reason: 'timeout' | 'canceled',
    readonly clusterId: string,
  ) {
    super(
      'start_lock',
      reason === 'timeout'
        ? `another dodb process on this machine was starting a migration on cluster ${clusterId} until the timeout ran ` +
            'out; nothing was started'
        : `cancelled while another dodb process on this machine was starting a migration on cluster ${clusterId}; ` +
            'nothing was started',
    );
  }
}

/**
 * The lock's key for starts on `clusterId` through `endpoint`: one key however the same endpoint and
 * cluster are spelt (host case, a default port, a trailing slash, the ID's case), so that two
 * configurations of one team cannot each hold a lock of their own.
 */
export function startLockKey(endpoint: string, clusterId: string): string {
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')} ${clusterId.toLowerCase()}`;
}

/**
 * Where the lock for `key` lives: a Linux abstract socket (no file, gone with the process that
 * listens), elsewhere a socket file in a folder of the user's own. Listening on it is holding the
 * lock; the kernel releases it when the process ends, however it ends.
 */
export function lockAddress(key: string, platform: NodeJS.Platform = process.platform): string {
  const user = process.getuid?.() ?? userInfo().username;
  // Short, as socket paths are (104 bytes on macOS).
  const name = createHash('sha256').update(key).digest('hex').slice(0, 24);
  if (platform === 'linux') return `\0dodb-start-${user}-${name}`;
  const folder = join(tmpdir(), `dodb-${user}`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return join(folder, `${name}.sock`);
}

/**
 * Hold the lock at `address`, waiting while another process (or another call in this one) holds
 * it, until `deadline` or `signal`. Resolves with its release. A socket file left by a process that
 * died answers no connection: it is removed and the lock taken.
 */
export async function holdLock(
  address: string,
  clusterId: string,
  options: { deadline: number; signal?: AbortSignal; onWait?: () => void },
): Promise<() => Promise<void>> {
  for (let waited = false; ;) {
    if (options.signal?.aborted) throw new StartLockError('canceled', clusterId);
    const server = await listen(address);
    if (server) return () => new Promise<void>((resolve) => server.close(() => resolve()));
    // Two waiters that find the same stale file may both remove it, and one may remove the other's
    // new socket: only after a crash, and only where there are no abstract sockets (not Linux).
    if (!address.startsWith('\0') && (await nobodyAnswers(address))) {
      rmSync(address, { force: true });
      continue;
    }
    if (Date.now() >= options.deadline) throw new StartLockError('timeout', clusterId);
    if (!waited) options.onWait?.();
    waited = true;
    const pauseMs = Math.min(
      RETRY_MIN_MS + Math.random() * RETRY_SPREAD_MS,
      Math.max(0, options.deadline - Date.now()),
    );
    await setTimeout(pauseMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** A server listening at `address`, or undefined when something else already listens there. */
function listen(address: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((connection) => connection.destroy());
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error),
    );
    server.listen(address, () => {
      // The lock never keeps the process alive.
      server.unref();
      resolve(server);
    });
  });
}

/** Whether a socket file is stale: no process listens on it any more (a gone file counts too). */
function nobodyAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
