// The meeting page's live quorum and tally follow the server's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdMet, quorumStatus, tallyOf, majorityMet, sumFen, yuan, decisionText, enteredBy } from '../../../ui/views/meeting/tally.js';

const units = (present, total) =>
  Array.from({ length: total }, (_, i) => ({ unit: `单位${i + 1}`, status: i < present ? 'present' : 'invited' }));

test('thresholds match the Rust table', () => {
  const table = [
    ['more_than_half', 6, 11, true], ['more_than_half', 5, 11, false], ['more_than_half', 2, 4, false],
    ['at_least_half', 2, 4, true], ['at_least_two_thirds', 7, 11, false], ['at_least_two_thirds', 8, 11, true],
    ['all', 11, 11, true], ['all', 10, 11, false], ['more_than_half', 0, 0, false],
  ];
  for (const [rule, count, base, met] of table) assert.equal(thresholdMet(rule, count, base), met, `${rule} ${count}/${base}`);
});

test('the quorum counts units present of units invited', () => {
  assert.deepEqual(quorumStatus(units(5, 11), 'more_than_half'), { expected: 11, present: 5, met: false });
  assert.deepEqual(quorumStatus(units(6, 11), 'more_than_half'), { expected: 11, present: 6, met: true });
  assert.equal(quorumStatus(units(6, 11), 'at_least_two_thirds').met, false);
});

test('the tally ignores absent units and counts silent ones against a grant', () => {
  const att = units(6, 11);
  const ops = [
    { unit: '单位1', opinion: 'agree' }, { unit: '单位2', opinion: 'agree_with_changes' },
    { unit: '单位3', opinion: 'disagree' }, { unit: '单位9', opinion: 'agree' },
  ];
  const t = tallyOf(ops, att);
  assert.deepEqual(t, { agree: 1, agree_with_changes: 1, disagree: 1, silent: 3, in_favour: 2 });
  assert.equal(majorityMet(t, 6, 'more_than_half'), false);
  const four = tallyOf([...ops, { unit: '单位4', opinion: 'agree' }, { unit: '单位5', opinion: 'agree' }], att);
  assert.equal(majorityMet(four, 6, 'more_than_half'), true);
});

test('stage amounts add up in fen', () => {
  assert.equal(sumFen(['12000', '8000.5', '0.05']), 2000055);
  assert.equal(sumFen(['12000', 'abc']), null);
  assert.equal(yuan(2000055), '20000.55');
});

test('a decision reads as one sentence, without stray spaces', () => {
  assert.equal(decisionText({ decision: 'approve', approved_amount: '15000.00', decision_note: null }), '同意救助，救助 15,000.00 元');
  assert.equal(decisionText({ decision: 'reject', approved_amount: null, decision_note: '已享受医疗救助' }), '不予救助，已享受医疗救助');
  assert.equal(decisionText({ decision: 'refer', approved_amount: null, decision_note: '' }), '转介常规救助');
});

test('an opinion shows who entered it and the signed paper it was entered from', () => {
  assert.equal(enteredBy({}), '');
  assert.equal(enteredBy({ recorded_by: '孙立新', paper_ref: '' }), '孙立新登记');
  assert.equal(enteredBy({ recorded_by: '赵红梅', paper_ref: '财政局复函' }), '赵红梅据书面意见录入（财政局复函）');
});
