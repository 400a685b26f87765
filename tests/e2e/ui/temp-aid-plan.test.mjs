import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fenOf, yuanOf, addMonths, splitEvenly, planTotal, deadlineText, ACTION_INPUTS } from '../../../ui/views/temp-aid/plan.js';

test('yuan strings and fen without floats', () => {
  assert.equal(fenOf('1,234.5'), 123450);
  assert.equal(fenOf('0.07'), 7);
  assert.equal(fenOf(' 600 '), 60000);
  assert.equal(fenOf('1.234'), null);
  assert.equal(fenOf('-5'), null);
  assert.equal(fenOf('abc'), null);
  assert.equal(yuanOf(123450), '1234.50');
  assert.equal(yuanOf(5), '0.05');
  assert.equal(yuanOf(-250), '-2.50');
  // 0.1 + 0.2 never happens: 0.10 + 0.20 fen-wise is exact.
  assert.equal(planTotal([{ amount: '0.10' }, { amount: '0.20' }]), '0.30');
});

test('months roll over the year', () => {
  assert.equal(addMonths('2026-11', 0), '2026-11');
  assert.equal(addMonths('2026-11', 2), '2027-01');
  assert.equal(addMonths('2026-12', 13), '2028-01');
});

test('the plan splits what the advance left, the odd fen on the last stage', () => {
  assert.deepEqual(splitEvenly('1800', '', 3, '2026-11'), [
    { month: '2026-11', amount: '600.00' },
    { month: '2026-12', amount: '600.00' },
    { month: '2027-01', amount: '600.00' },
  ]);
  assert.deepEqual(splitEvenly('1000', '200', 3, '2026-12'), [
    { month: '2026-12', amount: '266.66' },
    { month: '2027-01', amount: '266.66' },
    { month: '2027-02', amount: '266.68' },
  ]);
  assert.equal(planTotal(splitEvenly('1000', '200', 3, '2026-12')), '800.00');
  // The advance was all of it: nothing to plan.
  assert.deepEqual(splitEvenly('1200', '1200', 2, '2026-11'), []);
  assert.equal(splitEvenly('1000', '1200', 2, '2026-11'), null);
  assert.equal(splitEvenly('x', '', 2, '2026-11'), null);
  assert.equal(splitEvenly('0.01', '', 2, '2026-11'), null);
});

test('deadlines in words and the inputs of each step', () => {
  assert.equal(deadlineText('2026-11-30', true), '已逾期（2026-11-30）');
  assert.equal(deadlineText('2026-11-30', false), '2026-11-30 前');
  assert.equal(deadlineText(null, false), '');
  assert.deepEqual(ACTION_INPUTS.accept, []);
  assert.deepEqual(ACTION_INPUTS.approve_county.map(([name]) => name), ['amount', 'stages']);
  assert.equal(Object.keys(ACTION_INPUTS).length, 12);
});
