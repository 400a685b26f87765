// Audit rows read as "what changed", in the registry's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditChanges } from '../../../ui/lib/format.js';

test('a creation lists only the values given, in form order', () => {
  const after = { village_id: 3, address: '东街 18 号', bank_account: null, hukou: 'rural', phone: '13812345678', group_id: null };
  const show = (k, v) => (k === 'village_id' ? '锦绣社区' : k === 'hukou' ? '农村' : undefined);
  assert.deepEqual(auditChanges(null, after, show), ['村（社区）：锦绣社区', '住址：东街 18 号', '户籍：农村', '联系电话：13812345678']);
});

test('an update lists only what changed, old → new', () => {
  const before = { address: '东街 18 号', phone: null, active: true };
  const after = { address: '西街 2 号', phone: '13812345678', active: true };
  assert.deepEqual(auditChanges(before, after), ['住址：东街 18 号 → 西街 2 号', '联系电话：— → 13812345678']);
});
