import test from 'ava';
import { existsSync } from 'node:fs';
import { StartLockError, holdLock, lockAddress, startLockKey } from '../../src/api/start-lock';
import { start } from '../helpers/child';

/** The machine-wide start lock, in both of its forms: a Linux abstract socket, and a socket file elsewhere. */
const FLAVORS = [
  ['an abstract socket (Linux)', 'linux'],
  ['a socket file (macOS and others)', 'darwin'],
] as const;

let keys = 0;
const uniqueKey = (t: { title: string }) => `${process.pid} ${keys++} ${t.title}`;

for (const [name, platform] of FLAVORS) {
  test(`${name}: a second holder waits until the first releases, in one process`, async (t) => {
    const address = lockAddress(uniqueKey(t), platform);
    const far = { deadline: Date.now() + 60_000 };
    const releaseFirst = await holdLock(address, 'c1', far);
    let released = false;
    let waiting!: () => void;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const second = holdLock(address, 'c1', { ...far, onWait: waiting }).then((release) => {
      t.true(released, 'the second holder got the lock only after the first released it');
      return release;
    });
    await waited;
    released = true;
    await releaseFirst();
    await (
      await second
    )();
  });

  test(`${name}: a lock held until the deadline ends the wait with StartLockError, and a cancel at once`, async (t) => {
    const address = lockAddress(uniqueKey(t), platform);
    const release = await holdLock(address, 'c1', { deadline: Date.now() + 60_000 });
    t.teardown(release);
    const late = await t.throwsAsync(holdLock(address, 'c1', { deadline: Date.now() + 200 }), {
      instanceOf: StartLockError,
    });
    t.is(late!.reason, 'timeout');
    t.regex(late!.message, /another dodb process on this machine .* cluster c1 .*nothing was started/);
    const controller = new AbortController();
    const cancelled = holdLock(address, 'c1', {
      deadline: Date.now() + 60_000,
      signal: controller.signal,
      onWait: () => controller.abort(),
    });
    t.is((await t.throwsAsync(cancelled, { instanceOf: StartLockError }))!.reason, 'canceled');
  });

  test(`${name}: a lock held by a process that is killed is free at once, whatever it left behind`, async (t) => {
    const address = lockAddress(uniqueKey(t), platform);
    // Another process holds the lock the way holdLock does: by listening at the address.
    const holder = start(t, process.execPath, [
      '-e',
      "require('node:net').createServer().listen(JSON.parse(process.argv[1]), () => console.log('held'))",
      JSON.stringify(address),
    ]);
    await holder.waitFor(/held/, { stream: 'stdout' });
    const blocked = await t.throwsAsync(holdLock(address, 'c1', { deadline: Date.now() + 200 }));
    t.true(blocked instanceof StartLockError, 'held while the process lives');
    holder.kill('SIGKILL');
    await holder.done;
    if (platform !== 'linux') t.true(existsSync(address), 'the killed holder left its socket file');
    const release = await holdLock(address, 'c1', { deadline: Date.now() + 60_000 });
    await release();
  });
}

test('one lock however the endpoint and the cluster ID are spelt; another endpoint or cluster is another lock', (t) => {
  const cluster = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';
  const key = startLockKey('https://api.digitalocean.com', cluster);
  for (const endpoint of [
    'https://API.DigitalOcean.com/',
    'https://api.digitalocean.com:443',
    'https://api.digitalocean.com//',
  ]) {
    t.is(startLockKey(endpoint, cluster.toUpperCase()), key, endpoint);
  }
  t.not(startLockKey('https://api.digitalocean.com:8443', cluster), key);
  t.not(startLockKey('http://127.0.0.1:8080/', cluster), startLockKey('http://127.0.0.1:8081/', cluster));
  t.not(startLockKey('https://api.digitalocean.com', cluster.replace('9', '8')), key);
});
