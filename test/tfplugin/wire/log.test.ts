import test from 'ava';
import { stderrLogger } from '../../../src/tfplugin/wire/log';

test('stderrLogger says which levels it keeps: its minimum and above', (t) => {
  const logger = stderrLogger('test', 'info');
  t.deepEqual(
    (['trace', 'debug', 'info', 'warn', 'error'] as const).map((level) => logger.enabled?.(level)),
    [false, false, true, true, true],
  );
});
