// 待我处理: the filter's command input, the selected periodic reviews sent at the versions shown,
// and a batch's outcome naming each refused case with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchCases, batchSummary, queueInput, NO_CHANGE } from '../../../ui/views/work-queue/work-queue.js';

test('the filter leaves out blanks and sends the village as a number', () => {
  assert.deepEqual(queueInput({}), {});
  assert.deepEqual(queueInput({ kind: '', village_id: '', reviews_only: false }), {});
  assert.deepEqual(queueInput({ kind: 'case', village_id: '5', reviews_only: true }), { kind: 'case', village_id: 5, reviews_only: true });
});

test('only selected periodic reviews go in a batch, each at the version shown', () => {
  const items = [
    { kind: 'case', id: 1, version: 4, batch_review: true },
    { kind: 'case', id: 2, version: 7, batch_review: false },
    { kind: 'temp_aid', id: 1, version: null, batch_review: false },
    { kind: 'case', id: 3, version: 0, batch_review: true },
  ];
  assert.deepEqual(batchCases(items, new Set([1, 2, 3])), [
    { case_id: 1, expected_version: 4 },
    { case_id: 3, expected_version: 0 },
  ]);
  assert.deepEqual(batchCases(items, new Set()), []);
});

test('a batch outcome lists each refused case with its reason', () => {
  assert.deepEqual(batchSummary({ reviewed: [{ case_id: 1 }], refused: [] }), { done: '已登记定期核查 1 件', refused: [] });
  const s = batchSummary({
    reviewed: [{ case_id: 1 }, { case_id: 3 }],
    refused: [{ case_id: 2, number: 'DB-2026-000002', code: 'conflict', message: '该案件已被他人办理，请刷新' },
      { case_id: 9, number: null, code: 'not_found', message: '案件 9 不存在' }],
  });
  assert.match(s.done, /已登记定期核查 2 件；2 件未登记/);
  assert.deepEqual(s.refused, ['DB-2026-000002：该案件已被他人办理，请刷新', '案件 9：案件 9 不存在']);
  assert.match(NO_CHANGE, /无变化/);
});
