import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeAdmin } from './admin-routes';
import { handleApiRequest } from './api';
import type { SimulatorOptions } from './config';
import { pathOf, readBody, send } from './http';
import { createState } from './state';
import type { Store } from './store';

export type { SimulatorOptions } from './config';
export type { RequestRecord } from './request-log';

export interface Simulator {
  url: string;
  token: string;
  store: Store;
  close(): Promise<void>;
}

/** A DigitalOcean-compatible server for the online-migration endpoints, on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = createState(options);
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = pathOf(req);
      if (!path.startsWith('/_sim/')) return await handleApiRequest(state, req, res, path, body);
      const [status, answer] = routeAdmin(state, req.method ?? 'GET', path, body);
      send(res, status, answer);
    } catch (error) {
      send(res, 500, { id: 'server_error', message: `simulator bug: ${(error as Error).message}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: state.config.token,
    store: state.store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
