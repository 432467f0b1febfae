import test from 'ava';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadBindings, synthFixture } from './fixture-app';
import { ROOT, scratchDir } from '../helpers/project';

/**
 * The reference is cdktf's own generator (the code behind `cdktf get`), fed the provider schema we
 * serve, with the constraint a cdktf.json of `dodb/dodb@<version>` gives it.
 */
test('cdktf get on generated/provider-schema.json synthesizes exactly the JSON our bindings do', async (t) => {
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TF_CLI_CONFIG_FILE = '/dev/null';
  const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');
  const { TerraformProviderConstraint } = require('@cdktf/commons');
  const { CodeMaker } = require('codemaker');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const schema = JSON.parse(readFileSync(join(ROOT, 'generated/provider-schema.json'), 'utf8'));
  const dir = scratchDir(t, 'reference');
  const generator = new TerraformProviderGenerator(new CodeMaker(), schema);
  generator.generate(new TerraformProviderConstraint(`dodb/dodb@${version}`));
  await generator.save(dir);

  const reference = synthFixture(loadBindings(join(dir, 'providers/dodb'), 'cdktf'), join(dir, 'out-reference'));
  const ours = synthFixture(loadBindings(join(ROOT, 'generated/cdktf'), 'cdktf'), join(dir, 'out-ours'));
  t.deepEqual(ours, reference);
});
