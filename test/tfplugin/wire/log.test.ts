import test from 'ava';
import { stderrLogger } from '../../../src/tfplugin/wire/log';

test('a logger says which levels it writes: its minimum and above', (t) => {
  const log = stderrLogger('test', 'info');
  t.false(log.shows!('trace'));
  t.false(log.shows!('debug'));
  t.true(log.shows!('info'));
  t.true(log.shows!('error'));
});
