import test from 'ava';
import { CLUSTER } from '../helpers/constants';
import { clientFor, simulator } from '../helpers/simulator';

test('lines at a level the log drops never reach it; the levels it keeps do, and all without `logs`', async (t) => {
  const sim = await simulator(t);
  const lines = (logs?: (level: string) => boolean) => {
    const kept: string[] = [];
    const client = clientFor(sim, { log: (level, message) => kept.push(`${level} ${message}`), logs });
    return { kept, client };
  };
  const quiet = lines((level) => level !== 'debug');
  const everything = lines();
  for (const { client } of [quiet, everything]) t.false(await client.stopMigration(CLUSTER, 'no-such-migration'));
  const nothingToStop = 'info nothing to stop: the cluster does not show the migration running';
  t.deepEqual(quiet.kept, [nothingToStop]);
  t.deepEqual(everything.kept, ['debug request', nothingToStop]);
});
