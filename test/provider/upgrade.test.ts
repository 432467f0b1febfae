import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulator } from '../helpers/simulator';
import { initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';

test('a state written by 0.1.0 (before cutover and cutover_at existed) plans no change', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'running' }) });
  await initialized(t, ws);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  const state = ws.state();
  const attributes = resourceInstance(state)!.attributes;
  t.false(attributes.cutover, 'this release writes cutover = false');
  // The attributes 0.1.0 did not have are absent from its state, not null.
  delete attributes.cutover;
  delete attributes.cutover_at;
  writeFileSync(join(ws.dir, 'terraform.tfstate'), JSON.stringify(state));

  const plan = await ws.run(['plan', '-detailed-exitcode']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, /No changes/);
});
