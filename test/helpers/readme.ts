import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Simulator } from '../../src/simulator/server';
import { ROOT } from './project';
import { runSample } from './shell-sample';
import { requests, simulator } from './simulator';

/** Every fenced block of the README, with the kind its `<!-- sample: KIND -->` marker gives. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
export const samples = [...README.matchAll(/(?:<!-- sample: ([a-z-]+) -->\n)?```[a-z]*\n([\s\S]*?)```/g)].map(
  (m, index) => ({ kind: m[1], code: m[2]!, index }),
);
export const ofKind = (kind: string) => samples.filter((s) => s.kind === kind);

/** The one sample of a kind. */
export const only = (kind: string) => {
  const [sample, ...more] = ofKind(kind);
  if (!sample || more.length > 0) throw new Error(`the README needs exactly one ${kind} sample`);
  return sample.code;
};

/** A sample with the README's placeholder for a checkout of dodb replaced by this one. */
export const checkout = (code: string) => code.replaceAll('/path/to/dodb', ROOT);

/** The README's CDKTF app, for CDK Terrain: the same app importing cdktn and dodb/cdktn/.... */
export const cdktnApp = () =>
  only('typescript').replace("from 'cdktf'", "from 'cdktn'").replaceAll("from 'dodb/", "from 'dodb/cdktn/");

/**
 * The README's CDK install sample (`install`) in a user's project `dir`, against a simulator: the app
 * deploys and is destroyed on the first try, the password from the environment, starting and
 * stopping one migration. Then the `get` sample, and the app importing the generated classes from
 * `.gen/` instead of `from` synthesizes the same configuration. Resolves with the install's output.
 */
export async function deployThenGet(
  t: ExecutionContext,
  dir: string,
  sample: { install: string; get: string; app: string; from: string; env?: NodeJS.ProcessEnv },
): Promise<{ output: string; sim: Simulator }> {
  writeFileSync(join(dir, 'main.ts'), sample.app);
  writeFileSync(join(dir, 'cdktf.json'), only('cdktf-json'));
  const sim = await simulator(t, { syncDelayMs: 500 });
  const env = {
    DIGITALOCEAN_API_URL: sim.url,
    DIGITALOCEAN_TOKEN: sim.token,
    SOURCE_PASSWORD: 'readme-password',
    CI: 'true',
    TF_CLI_CONFIG_FILE: '',
    ...sample.env,
  };
  const output = await runSample(t, checkout(only(sample.install)), dir, env);
  t.regex(output, /Apply complete! Resources: 1 added/);
  t.regex(output, /Destroy complete! Resources: 1 destroyed/);
  t.false(output.includes('readme-password'));
  const calls = (await requests(sim)).map((r) => r.method);
  t.true(calls.includes('PUT') && calls.includes('DELETE'), calls.join(' '));
  const synthesized = () => {
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8'));
    delete json['//'];
    return json;
  };
  const fromPackage = synthesized();

  await runSample(t, only(sample.get), dir, { ...env, TF_CLI_CONFIG_FILE: join(dir, '.terraformrc') });
  writeFileSync(join(dir, 'main.ts'), sample.app.replaceAll(`from '${sample.from}`, "from './.gen/providers/dodb/"));
  await runSample(t, 'npx ts-node main.ts', dir, env);
  t.deepEqual(synthesized(), fromPackage, 'cdk get generates the same API');
  return { output, sim };
}
