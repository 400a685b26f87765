// The one formatter of money and counts (ratios come as words from the core); audit rows drawn from the core's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yuan, yuanUnit, count, words } from '../../../ui/lib/format.js';
import { auditTable, filterInput } from '../../../ui/views/audit/audit.js';

test('yuan text is grouped by thousands without becoming a number', () => {
  assert.equal(yuan('1234567.50'), '1,234,567.50');
  assert.equal(yuan('871.00'), '871.00');
  assert.equal(yuan('-12000.00'), '-12,000.00');
  assert.equal(yuan('90071992547409930.01'), '90,071,992,547,409,930.01');
  assert.equal(yuan('1,234.00'), '1,234.00', 'already grouped text is left alone');
  assert.equal(yuan(null), '');
  assert.equal(yuan(undefined), '');
  assert.equal(yuanUnit('5226.00'), '5,226.00 元');
  assert.equal(yuanUnit(null), '—');
  assert.equal(count(70000), '70,000');
});

test('words leave blanks out, so no page shows null or undefined', () => {
  assert.equal(words(['2026-03-02', null, undefined, '', '李静']), '2026-03-02 李静');
  assert.equal(words([null, '同意'], '：'), '同意');
  assert.equal(words([]), '');
});

test('audit rows show the core\'s words, escaped, never the codes', () => {
  const rows = [{
    id: 7, at: '2026-12-05 09:00:00', user_name: 'spr', command: 'deliberation.act', action_label: '办理一事一议',
    entity: 'deliberation_case', entity_label: '一事一议案件', entity_id: 3,
    lines: ['状态：会议决定救助 → 已签批', '说明：<b>同意</b>'], before: { state: 'approved' }, after: { state: 'signed_off' },
  }, {
    id: 6, at: '2026-12-05 08:00:00', user_name: 'jbr1', command: 'household.update', action_label: '修改家庭信息',
    entity: 'household', entity_label: '家庭', entity_id: 12, lines: ['住址：东街 → 西街'], before: {}, after: {},
  }];
  const text = String(auditTable(rows));
  assert.match(text, /办理一事一议/);
  assert.match(text, /状态：会议决定救助 → 已签批/);
  assert.match(text, /&lt;b&gt;同意&lt;\/b&gt;/);
  assert.match(text, /<a href="#\/households\/12">家庭 12<\/a>/);
  assert.doesNotMatch(text, /deliberation\.act|signed_off|approved|\{"/);
  assert.match(String(auditTable([])), /没有符合条件的记录/);
});

test('the audit filter sends only what was filled in', () => {
  assert.deepEqual(filterInput({ user: ' spr ', from: '2026-12-01', to: '', case_number: '', action: 'payment.lock', kind: '', entity: '', entity_id: '' }),
    { user: 'spr', from: '2026-12-01', action: 'payment.lock' });
  assert.deepEqual(filterInput({ entity: 'household', entity_id: '12' }), { entity: 'household', entity_id: 12 });
});
