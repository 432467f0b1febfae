import test from 'ava';
import { isWholeMilliseconds, parseDuration } from '../../../src/tfplugin/framework/duration';

test('Go duration syntax: signs, fractions, every unit, exact decimal arithmetic', (t) => {
  const cases: Array<[string, number]> = [
    ['0', 0], ['+0', 0], ['.5s', 500], ['5.s', 5000], ['+5m', 300_000], ['-1s', -1000], ['1h30m', 5_400_000],
    ['1.1s', 1100], ['1ms', 1], ['1500us', 1.5], ['1000µs', 1], ['1000μs', 1], ['1000000ns', 1], ['2h0m0.001s', 7_200_001],
  ];
  for (const [text, ms] of cases) t.is(parseDuration(text), ms, text);
});

test('what Go refuses is undefined', (t) => {
  for (const text of ['', '.', 's', '5', '1x', '5 minutes', '1h 30m', '--1s', '1.2.3s', '0x10s', '1d']) t.is(parseDuration(text), undefined, text);
});

test('whole milliseconds', (t) => {
  t.true(isWholeMilliseconds('1.5s'));
  t.true(isWholeMilliseconds('1000us'));
  t.false(isWholeMilliseconds('1.5ms'));
  t.false(isWholeMilliseconds('1ns'));
  t.false(isWholeMilliseconds('nonsense'));
});
