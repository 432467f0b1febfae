import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/project';

const PACKAGE_FILES: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;

test("every link in the bindings' TSDoc resolves, from the compiled module, to a file the package ships", (t) => {
  const modules = readdirSync(join(ROOT, 'generated/cdktf'), { withFileTypes: true }).filter((e) => e.isDirectory());
  let links = 0;
  for (const { name } of modules) {
    const source = readFileSync(join(ROOT, 'generated/cdktf', name, 'index.ts'), 'utf8');
    for (const [, target] of source.matchAll(/\{@link (\S+)/g)) {
      links++;
      t.false(target!.includes('://'), `${name}: ${target} is a web page, not a file of the package`);
      // dist/lib/<module>/index.d.ts is where the link is read in node_modules.
      const file = resolve(ROOT, 'dist/lib', name, target!);
      t.true(existsSync(file), `${name}: ${target} does not resolve`);
      const inPackage = file.slice(ROOT.length + 1);
      t.true(
        PACKAGE_FILES.some((f) => inPackage.startsWith(f)),
        `${name}: ${inPackage} is not in the package`,
      );
    }
  }
  t.true(links > 10, `${links} links`);
});
