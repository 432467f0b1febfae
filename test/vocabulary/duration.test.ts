import test from 'ava';
import { isWholeMilliseconds, parseDuration } from '../../src/vocabulary/duration';

test('Go duration syntax: signs, fractions, every unit, exact decimal arithmetic', (t) => {
  const cases: Array<[string, number]> = [
    ['0', 0],
    ['+0', 0],
    ['.5s', 500],
    ['5.s', 5000],
    ['+5m', 300_000],
    ['-1s', -1000],
    ['1h30m', 5_400_000],
    ['1.1s', 1100],
    ['1ms', 1],
    ['1500us', 1.5],
    ['1000µs', 1],
    ['1000μs', 1],
    ['1000000ns', 1],
    ['2h0m0.001s', 7_200_001],
    ['10.5s', 10_500],
    ['.25s', 250],
  ];
  for (const [text, ms] of cases) t.is(parseDuration(text), ms, text);
});

test('what Go refuses is undefined', (t) => {
  for (const text of ['', '.', 's', '5', '10', '-10', '1x', '5 minutes', '1h 30m', '--1s', '1.2.3s', '0x10s', '1d'])
    t.is(parseDuration(text), undefined, text);
});

test('whole milliseconds', (t) => {
  t.true(isWholeMilliseconds('1.5s'));
  t.true(isWholeMilliseconds('1000us'));
  t.false(isWholeMilliseconds('1.5ms'));
  t.false(isWholeMilliseconds('1ns'));
  t.false(isWholeMilliseconds('nonsense'));
});

test('digits beyond a nanosecond are dropped as Go drops them, and a unit may repeat', (t) => {
  t.is(parseDuration('1.0000000009s'), 1000);
  t.is(parseDuration('1.5000000000000000000s'), 1500, 'more than 18 digits of fraction');
  t.true(isWholeMilliseconds('1.0000000009s'));
  t.is(parseDuration('0.9999999999ms'), 0.999999);
  t.is(parseDuration('1s1s'), 2000);
  t.is(parseDuration('1m1h'), 3_660_000);
  t.is(parseDuration('-0s'), 0);
});

test("only Go's spelling: no blanks, no upper-case units, no exponent, one sign in front", (t) => {
  const refused = [' 1s', '1s ', '1S', '1H', '1e3s', '1s-1s', '+-1s', '1_000ms', '1sec', '1min'];
  for (const text of refused) t.is(parseDuration(text), undefined, text);
});
