import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepFields, stepInput, deadlineText, itemHref, irreversibleNote } from '../../../ui/views/case-page/steps.js';

test('every step asks for its date, and text steps name the command field', () => {
  const c = { township_staff: [{ id: 1, name: '王经办' }] };
  for (const code of ['accept', 'record_verification', 'record_survey', 'review_township', 'approve', 'refuse', 'exit']) {
    assert.equal(stepFields(code, c)[0].name, 'date', code);
  }
  assert.deepEqual(stepFields('review_township', c).map((f) => f.name), ['date', 'opinion']);
  assert.deepEqual(stepFields('refuse', c).map((f) => f.name), ['date', 'reasons']);
  const survey = stepFields('record_survey', c);
  assert.equal(survey[1].type, 'staff');
  assert.equal(survey[1].staff.length, 1);
});

test('step input leaves out blanks and makes months a number', () => {
  assert.deepEqual(stepInput(7, 'exit', { date: '', reason: 'voluntary', grace_months: '2', note: '外出务工' }),
    { case_id: 7, action: 'exit', reason: 'voluntary', grace_months: 2, note: '外出务工' });
  assert.deepEqual(stepInput(7, 'record_survey', { investigator_ids: [1, 2], findings: 'x' }),
    { case_id: 7, action: 'record_survey', investigator_ids: [1, 2], findings: 'x' });
});

test('deadline words', () => {
  assert.equal(deadlineText('2026-11-20', '2026-11-23'), '已超期 3 天');
  assert.equal(deadlineText('2026-11-23', '2026-11-23'), '今天到期');
  assert.equal(deadlineText('2026-12-01', '2026-11-23'), '还有 8 天');
  assert.equal(deadlineText(null, '2026-11-23'), '');
});

test('queue items open their own page', () => {
  assert.equal(itemHref({ kind: 'case', id: 3 }), '#/cases/3');
  assert.equal(itemHref({ kind: 'temp_aid', id: 4 }), '#/temp-aid/4');
  assert.equal(itemHref({ kind: 'deliberation', id: 5 }), '#/deliberation/5');
  assert.equal(itemHref({ kind: 'meeting', id: 6 }), '#/meetings/6');
});

test('ending and withdrawing a case ask for their reasons in the command fields', () => {
  assert.deepEqual(stepFields('terminate', {}).map((f) => f.name), ['date', 'reasons']);
  assert.deepEqual(stepFields('withdraw', {}).map((f) => f.name), ['date', 'reason']);
  assert.ok(stepFields('withdraw', {})[1].required);
});

test('steps that cannot be undone say so before they are confirmed', () => {
  for (const code of ['refuse', 'terminate', 'withdraw', 'exit']) {
    assert.match(irreversibleNote(code), /不能/, code);
  }
  assert.match(irreversibleNote('withdraw'), /不会发放/);
  assert.match(irreversibleNote('terminate'), /不予批准通知书/);
  assert.equal(irreversibleNote('accept'), null);
  assert.equal(irreversibleNote('record_periodic_review'), null);
});
