import test from 'ava';
import { DODB } from '../helpers/built-provider';
import { runOk } from '../helpers/child';

test('dodb simulator --help says what each flag of its synopsis does, and where the admin routes are documented', async (t) => {
  const { stdout: help } = await runOk(process.execPath, [DODB, 'simulator', '--help']);
  const [synopsis, flags] = help.split('\nflags:\n');
  const named = [...new Set([...synopsis!.matchAll(/\[(--[a-z-]+)/g)].map((m) => m[1]!))];
  t.true(named.length >= 9, named.join(' '));
  for (const flag of named) t.regex(flags!, new RegExp(`^ {2}${flag}( \\S+)? {2,}\\S`, 'm'), `${flag} is described`);
  t.regex(help, /docs\/guides\/testing-with-the-simulator\.md/);
});
