// 调标 on the 保障标准 page: amounts grouped by thousands from the server's strings, the preview
// table with old/new/change and the back pay warning (names escaped), and who may confirm or
// cancel a pending batch (never its submitter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grouped, signed, previewBody, batchActions } from '../../../ui/views/standards/recompute.js';

test('amounts are grouped by thousands as text', () => {
  assert.equal(grouped('1234567.50'), '1,234,567.50');
  assert.equal(grouped('920.00'), '920.00');
  assert.equal(grouped('-12345.00'), '-12,345.00');
  assert.equal(signed('49.00'), '+49.00');
  assert.equal(signed('-1071.00'), '-1,071.00');
});

test('the preview lists each case with old, new, change and reason, and warns of back pay', () => {
  const text = String(previewBody({
    from_month: '2026-10', count: 1, unchanged: 3, monthly_change: '49.00',
    changes: [{ case_id: 1, number: 'DB-2026-0001', head_name: '刘<b>城', township_name: '城关镇', programme_label: '低保',
      old: '671.00', new: '1720.00', change: '1049.00', reason: '城市低保标准 871 → 920 元' }],
    skipped: [{ case_id: 3, number: 'DB-2026-0003', head_name: '王五', why: '渐退期内按退出时核定的金额发放，不随标准调整' }],
    back_pay: [{ month: '2026-10', amount: '1049.00' }], back_pay_total: '1049.00',
    warning: '起始月份早于已发放月份，将产生补发 1,049.00 元',
  }));
  assert.ok(text.includes('刘&lt;b&gt;城'), 'names escaped');
  assert.ok(text.includes('1,720.00') && text.includes('+1,049.00'), text);
  assert.ok(text.includes('城市低保标准 871 → 920 元'));
  assert.ok(text.includes('将产生补发 1,049.00 元'));
  assert.ok(text.includes('金额不变 3 户') && text.includes('未纳入 1 户'));
});

test('another approver confirms a pending batch; its submitter may only cancel', () => {
  const b = { state: 'pending', submitted_by_id: 4 };
  assert.deepEqual(batchActions(b, { id: 4, role: 'approver' }), ['cancel']);
  assert.deepEqual(batchActions(b, { id: 7, role: 'approver' }), ['confirm', 'cancel']);
  assert.deepEqual(batchActions(b, { id: 1, role: 'admin' }), ['cancel']);
  assert.deepEqual(batchActions({ ...b, state: 'confirmed' }, { id: 7, role: 'approver' }), []);
});
