import test from 'ava';
import { dodbProvider } from '../../src/provider/provider';
import { UNKNOWN } from '../../src/tfplugin/wire/values';
import { rpcClient } from '../helpers/rpc';
import { CLUSTER } from '../helpers/constants';
import { requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, workspace } from '../helpers/terraform';

const DATA = 'dodb_online_migration';

// test/provider/online-migration/index.test.ts reads a migration, nulls and a missing cluster this way.
test('through the RPC handlers: an unknown cluster_id passes validation, one that is not a UUID does not', async (t) => {
  const provider = rpcClient(dodbProvider);
  t.deepEqual(
    await provider.validateData(DATA, { cluster_id: UNKNOWN }),
    [],
    'unknown until apply: nothing to check yet',
  );
  t.regex((await provider.validateData(DATA, { cluster_id: 'cluster-1' }))[0]!.detail, /cluster_id must be a UUID/);
});

test('through the RPC handlers: an API that cannot be reached is a diagnostic, not a crash', async (t) => {
  const sim = await simulator(t);
  await sim.close();
  const provider = rpcClient(dodbProvider);
  const noRetries = { http_retry_max: 0, http_retry_wait_min: 0, http_retry_wait_max: 0 };
  t.deepEqual(await provider.configure({ token: sim.token, api_endpoint: sim.url, ...noRetries }), []);
  const unreachable = await provider.readData(DATA, { cluster_id: CLUSTER, id: null, status: null, created_at: null });
  t.is(unreachable.state, null);
  t.like(unreachable.diagnostics[0], { severity: 1, summary: 'Could not read the online migration' });
});

test('terraform: a data source whose cluster_id is unknown at plan is read during the apply', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  // terraform_data's output is unknown until it is created: the read waits for the apply.
  ws.write({
    'main.tf': `${PROVIDER_BLOCK}
resource "terraform_data" "cluster" {
  input = "${CLUSTER}"
}

data "dodb_online_migration" "latest" {
  cluster_id = terraform_data.cluster.output
}

output "status" {
  value = data.dodb_online_migration.latest.status == null ? "none" : data.dodb_online_migration.latest.status
}
`,
  });
  await initialized(t, ws);
  const plan = await ws.run(['plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, /data\.dodb_online_migration\.latest will be read during apply/);
  t.regex(plan.stdout, /cluster_id\s+= \(known after apply\)/);
  t.deepEqual(await requests(sim), [], 'nothing is read at plan');

  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.regex(apply.stdout, /status = "none"/);
  t.true(
    (await requests(sim)).some((r) => r.method === 'GET' && r.path === `/v2/databases/${CLUSTER}/online-migration`),
  );
});
