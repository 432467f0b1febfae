import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../helpers/child';
import { ROOT } from '../helpers/project';

const status = async () =>
  (await runOk('git', ['status', '--porcelain', '--', 'generated', 'docs'], { cwd: ROOT })).stdout;

test('make generate CDK_LIBRARY=cdktn writes the cdktn bindings under dist/cdktn-src and leaves generated/ as it is', async (t) => {
  const before = await status();
  await runOk('make', ['--no-print-directory', 'generate', 'CDK_LIBRARY=cdktn'], { cwd: ROOT });
  t.is(await status(), before);
  t.regex(readFileSync(join(ROOT, 'dist/cdktn-src/generated/cdktf/cdk.ts'), 'utf8'), /^export \* from 'cdktn';$/m);
  t.regex(readFileSync(join(ROOT, 'generated/cdktf/cdk.ts'), 'utf8'), /^export \* from 'cdktf';$/m);
});
