import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USER_TOOLS, installedCopies, userProject } from '../helpers/package';
import { deployThenGet, only } from '../helpers/readme';
import { requests } from '../helpers/simulator';

// The README's CDKTF install: cdktf-cli and the project's packages from the npm registry into a fresh
// project, then cdktf get and deploy (a big npm install: make test-long).
test('install for CDKTF: in a cdktf init project (TypeScript 7, no cdktf-cli), the README installs cdktf-cli and deploys the app on the first try, the password from the environment; cdktf get generates the same API', async (t) => {
  t.timeout(10 * 60_000);
  // What `cdktf init --template typescript` installs today: TypeScript 7, with which ts-node fails.
  const initTools = { ...USER_TOOLS, typescript: '7.0.2' };
  const dir = await userProject(t, 'readme-cdktf', { cdktf: '0.21.0', constructs: '10.4.2' }, initTools);
  const { sim } = await deployThenGet(t, dir, {
    install: 'install-cdktf',
    get: 'cdktf-get',
    app: only('typescript'),
    from: 'dodb/',
  });
  t.deepEqual(await installedCopies(dir, 'constructs'), [join(dir, 'node_modules/constructs')]);
  t.is(
    readFileSync(join(dir, 'cdktf.out/stacks/migration/.terraform.lock.hcl'), 'utf8'),
    readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8'),
    'deploy kept the lock file dodb wrote, the one the project commits',
  );
  t.regex(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8'), /"zh:/);
  const put = (await requests(sim)).find((r) => r.method === 'PUT');
  t.true(put?.fields?.includes('source.password') ?? false, 'the password reached the API');
});
