import test from 'ava';
import { userProject } from '../helpers/package';
import { cdktnApp, deployThenGet } from '../helpers/readme';
import { nodeFromNpm } from './node';

test("the README's cdktn install deploys and destroys the app under Node 22 with cdktn-cli, with no checkout in the app; cdktn get generates the same API", async (t) => {
  const node22 = await nodeFromNpm(t, 22);
  const dir = await userProject(t, 'readme-cdktn', { cdktn: '0.24.0', constructs: '10.7.2' });
  const { output } = await deployThenGet(t, dir, {
    install: 'install-cdktn',
    get: 'cdktn-get',
    app: cdktnApp(),
    from: 'dodb/cdktn/',
    env: { PATH: `${node22}:${process.env.PATH}` },
  });
  t.false(output.includes("Cannot find module 'cdktf'"));
});
