import test from 'ava';
import { ByteBudget } from '../../../src/tfplugin/wire/byte-budget';

test('a reservation that does not fit waits until others give theirs back; smaller ones that fit go ahead', (t) => {
  const budget = new ByteBudget(100);
  const admitted: string[] = [];
  const reserve = (name: string, bytes: number) => budget.reserve(bytes, () => admitted.push(name));
  const big = reserve('big', 80);
  const second = reserve('second', 80);
  const small = reserve('small', 20);
  t.deepEqual(admitted, ['big', 'small'], 'the second large one waits; a small one that fits does not');
  small();
  t.deepEqual(admitted, ['big', 'small'], 'still no room for the second');
  big();
  t.deepEqual(admitted, ['big', 'small', 'second']);
  big();
  t.deepEqual(admitted, ['big', 'small', 'second'], 'giving back twice frees nothing more');
  const third = reserve('third', 30);
  t.deepEqual(admitted, ['big', 'small', 'second'], 'the double release did not make room');
  third();
  second();
  reserve('whole', 100);
  t.deepEqual(admitted, ['big', 'small', 'second', 'whole'], 'a withdrawn wait is never admitted; all was given back');
});
