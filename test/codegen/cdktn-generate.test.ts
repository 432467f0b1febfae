import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/project';

const status = () =>
  execFileSync('git', ['status', '--porcelain', '--', 'generated', 'docs'], { cwd: ROOT, encoding: 'utf8' });

test('make generate CDK_LIBRARY=cdktn writes the cdktn bindings under dist/cdktn-src and leaves generated/ as it is', (t) => {
  const before = status();
  execFileSync('make', ['--no-print-directory', 'generate', 'CDK_LIBRARY=cdktn'], { cwd: ROOT, stdio: 'pipe' });
  t.is(status(), before);
  t.regex(readFileSync(join(ROOT, 'dist/cdktn-src/generated/cdktf/cdk.ts'), 'utf8'), /^export \* from 'cdktn';$/m);
  t.regex(readFileSync(join(ROOT, 'generated/cdktf/cdk.ts'), 'utf8'), /^export \* from 'cdktf';$/m);
});
