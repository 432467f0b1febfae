import test from 'ava';
import { faultProxy } from '../helpers/fault-proxy';
import { CLUSTER } from '../helpers/constants';
import { simulator } from '../helpers/simulator';
import { initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';

test('answers without created_at (the API model requires no field): the apply keeps the migration, created_at null, one PUT', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const proxy = await faultProxy(t, sim.url);
  proxy.add({
    path: `/v2/databases/${CLUSTER}/online-migration`,
    fault: { kind: 'rewrite', body: ({ created_at: _, ...rest }) => rest },
  });
  const ws = workspace(t, { url: proxy.url, token: sim.token });
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'syncing' }) });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  const instance = resourceInstance(ws.state());
  t.is(instance?.attributes.status, 'syncing');
  t.is(instance?.attributes.created_at, null);
  t.is(instance?.status, undefined, 'not tainted');
  t.is(proxy.count('PUT'), 1);

  const plan = await ws.run(['plan', '-detailed-exitcode']);
  t.is(plan.code, 0, `a refresh reads it, and nothing changes: ${plan.output}`);
});
