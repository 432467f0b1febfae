import test from 'ava';
import { CLUSTER } from '../helpers/constants';
import { simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, resourceInstance, workspace } from '../helpers/terraform';

// Values at MessagePack's boundaries: fixstr's last length (31), str8 past it in multibyte UTF-8,
// str16 (over 255 bytes), uint16 and uint64 integers, a set, and an unknown string with a known prefix
// (a refined unknown, which must travel back byte for byte).
const DB_NAME = 'd'.repeat(31);
const USERNAME = 'ü'.repeat(32);
const PASSWORD = `é${'€'.repeat(1021)}😀`;
const IGNORED = ['a', 'x'.repeat(32), 'é'.repeat(64)];
const VERSION = Number.MAX_SAFE_INTEGER;

const config = `${PROVIDER_BLOCK}
resource "terraform_data" "later" {
  input = "later"
}

resource "dodb_online_migration" "m" {
  cluster_id = "${CLUSTER}"
  source {
    host                = "db-\${terraform_data.later.output}.example.com"
    port                = 65535
    db_name             = ${JSON.stringify(DB_NAME)}
    username            = ${JSON.stringify(USERNAME)}
    password_wo         = ${JSON.stringify(PASSWORD)}
    password_wo_version = ${VERSION}
  }
  ignore_dbs = ${JSON.stringify(IGNORED)}
  wait_for   = "running"
}
`;

test('values at MessagePack length and integer boundaries pass unchanged through a saved plan, its apply and a refresh', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': config });
  await initialized(t, ws);

  const plan = await ws.run(['plan', '-out=saved.tfplan']);
  t.is(plan.code, 0, plan.output);
  const shown = await ws.run(['show', '-json', 'saved.tfplan']);
  t.is(shown.code, 0, shown.output);
  const change = JSON.parse(shown.stdout).resource_changes.find(
    (c: { address: string }) => c.address === 'dodb_online_migration.m',
  ).change;
  t.like(change.after.source[0], { db_name: DB_NAME, username: USERNAME, port: 65535, password_wo_version: VERSION });
  t.deepEqual([...change.after.ignore_dbs].sort(), [...IGNORED].sort());
  t.true(change.after_unknown.source[0].host, 'the host is unknown until terraform_data is applied');

  const apply = await ws.run(['apply', 'saved.tfplan']);
  t.is(apply.code, 0, apply.output);
  const attributes = resourceInstance(ws.state())!.attributes;
  t.like(attributes.source[0], {
    host: 'db-later.example.com',
    db_name: DB_NAME,
    username: USERNAME,
    password_wo: null,
    password_wo_version: VERSION,
  });
  t.deepEqual([...attributes.ignore_dbs].sort(), [...IGNORED].sort());

  const again = await ws.run(['plan', '-detailed-exitcode']);
  t.is(again.code, 0, again.output);
});
