import test from 'ava';
import { onlineMigrationResource } from '../../../src/provider/online-migration';
import { upgradeMigrationState } from '../../../src/provider/online-migration/state';

/** The resource's state upgrade: schema version 0, its only one so far, reads as it is but for 0.1.0's missing cutover. */

test('the resource declares its upgradeState; a version 0 state is read as it is, with cutover false where 0.1.0 had none', (t) => {
  t.is(onlineMigrationResource.upgradeState, upgradeMigrationState);
  t.is(onlineMigrationResource.schema.version, 0);
  const stored = { id: 'm-1', cluster_id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30', status: 'running' };
  t.deepEqual(upgradeMigrationState({ version: 0, state: stored }), { state: { ...stored, cutover: false } });
  for (const cutover of [true, false, null]) {
    t.deepEqual(upgradeMigrationState({ version: 0, state: { ...stored, cutover } }), {
      state: { ...stored, cutover },
    });
  }
});

test('a schema version with no upgrade step is a bug said plainly, never a state read wrongly', (t) => {
  t.throws(() => upgradeMigrationState({ version: 1, state: {} }), {
    message: 'no upgrade of dodb_online_migration state from schema version 1',
  });
});
