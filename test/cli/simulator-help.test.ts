import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/project';

test('dodb simulator --help says what each flag of its synopsis does, and where the admin routes are documented', (t) => {
  const help = execFileSync(process.execPath, [join(ROOT, 'dist/dodb.js'), 'simulator', '--help'], {
    encoding: 'utf8',
  });
  const [synopsis, flags] = help.split('\nflags:\n');
  const named = [...new Set([...synopsis!.matchAll(/\[(--[a-z-]+)/g)].map((m) => m[1]!))];
  t.true(named.length >= 9, named.join(' '));
  for (const flag of named) t.regex(flags!, new RegExp(`^ {2}${flag}( \\S+)? {2,}\\S`, 'm'), `${flag} is described`);
  t.regex(help, /docs\/guides\/testing-with-the-simulator\.md/);
});
