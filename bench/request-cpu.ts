/**
 * CPU per API request of the client, beside a bare node:http GET: what a plan's long start spends
 * on each of its 200 reads. Against a running simulator (`dodb simulator --port PORT --token TOKEN
 * --rate-limit 1000000000`), bundled as the provider is so that the figures are the provider's:
 *   node_modules/.bin/esbuild --bundle --minify --keep-names --platform=node --format=cjs \
 *     bench/request-cpu.ts --outfile=.tmp/request-cpu.js
 *   node .tmp/request-cpu.js --url http://127.0.0.1:PORT --token TOKEN [--n 2000] [--rounds 5]
 * Prints, for each way of sending, the median over the rounds of the process's CPU (user+sys) per
 * GET, sent one after another and 10 at a time.
 */
import { Agent, get } from 'node:http';
import { parseArgs } from 'node:util';
import { DoClient } from '../src/api/client';
import { RateLimiter } from '../src/api/limiter';
import { CLIENT_DEFAULTS } from '../src/provider/config';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    n: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
  },
});
if (!values.url || !values.token) throw new Error('usage: request-cpu.ts --url http://127.0.0.1:PORT --token TOKEN');
const url = values.url.replace(/\/+$/, '');
const token = values.token;
const n = Number(values.n);
const rounds = Number(values.rounds);

type Get = (clusterId: string) => Promise<unknown>;

/** node:http with a keep-alive agent: a GET, its body read and parsed, nothing else. */
function bareHttp(): Get {
  const agent = new Agent({ keepAlive: true });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  return (clusterId) =>
    new Promise((resolve, reject) => {
      get(`${url}/v2/databases/${clusterId}/online-migration`, { agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        response.on('error', reject);
      }).on('error', reject);
    });
}

/** The client as the provider uses it: getMigration through DoClient, Transport and got. */
function doClient(): Get {
  const client = new DoClient({
    token,
    endpoint: url,
    userAgent: 'dodb-bench',
    retry: CLIENT_DEFAULTS.retry,
    limiter: new RateLimiter(),
  });
  return (clusterId) => client.getMigration(clusterId);
}

/** CPU µs per GET for `count` GETs, `parallel` at a time. */
async function cpuPerRequest(send: Get, clusterId: string, count: number, parallel: number): Promise<number> {
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = 0; i < count / parallel; i++) await send(clusterId);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const admin = async (path: string) =>
    (await (await fetch(`${url}${path}`, { method: 'POST', body: '{"engine":"pg"}' })).json()) as { id: string };
  const { id: clusterId } = await admin('/_sim/clusters');
  await admin(`/_sim/clusters/${clusterId}/migration`);
  const ways: Array<[string, Get]> = [
    ['node:http, keep-alive agent', bareHttp()],
    ['DoClient.getMigration', doClient()],
  ];
  for (const [, send] of ways) await cpuPerRequest(send, clusterId, 200, 1); // warm up
  for (const parallel of [1, 10]) {
    const samples = new Map<string, number[]>(ways.map(([name]) => [name, []]));
    // Interleaved, so that a busy moment of the machine falls on every way alike.
    for (let round = 0; round < rounds; round++) {
      for (const [name, send] of ways) samples.get(name)!.push(await cpuPerRequest(send, clusterId, n, parallel));
    }
    for (const [name, xs] of samples) {
      console.log(
        `${parallel === 1 ? 'sequential' : `${parallel} at a time`}\t${name}\t${median(xs).toFixed(0)} µs CPU/GET`,
      );
    }
  }
}

void main();
