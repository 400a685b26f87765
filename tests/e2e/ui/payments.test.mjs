// 月度发放: what the month page offers next from the run's state, the default file paths, and the
// summary rendering every difference with its reason (escaped) and unreviewed ones marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPath, heldNote, monthSummary, nextSteps } from '../../../ui/views/payments/payments.js';

const month = (over) => ({
  month: '2026-03', run: { state: 'open', state_label: '待审核锁定', roster_at: null }, total: '1958.00', payments: 2, households: 2,
  unreviewed: 1, totals: [{ township_name: '城关镇', programme_label: '低保', payments: 2, households: 2, persons: 4, amount: '1958.00' }],
  kinds: [{ label: '按月发放', payments: 2, amount: '1958.00' }],
  differences: [{ id: 1, label: '新增', household_id: 7, head_name: '王𠇔<b>', certificate: 'DB-2026-000002', township_name: '城关镇',
    old: '0.00', new: '660.00', reason: '2026-02-25 审批同意，自 2026-03 起发放', reviewed: false }],
  failed: [], ...over,
});

test('next steps follow the run: run, review, lock, roster, bank return', () => {
  assert.deepEqual(nextSteps({ run: null }), ['run']);
  assert.deepEqual(nextSteps(month()), ['run', 'review']);
  assert.deepEqual(nextSteps(month({ unreviewed: 0 })), ['run', 'lock']);
  assert.deepEqual(nextSteps(month({ run: { state: 'locked', roster_at: null } })), ['roster']);
  assert.deepEqual(nextSteps(month({ run: { state: 'locked', roster_at: '2026-03-05 09:00:00' } })), ['roster', 'bank_return']);
});

test('default paths go to the remembered folder', () => {
  assert.equal(defaultPath('/home/mz/文档/', '2026-03', 'xlsx'), '/home/mz/文档/发放花名册-2026-03.xlsx');
  assert.equal(defaultPath('', '2026-03', 'return'), '银行回盘-2026-03.csv');
});

test('the summary lists each difference with its reason, names escaped', () => {
  const text = String(monthSummary(month()));
  assert.match(text, /审批同意，自 2026-03 起发放/);
  assert.match(text, /王𠇔&lt;b&gt;/);
  assert.match(text, /class="attention"/);
  assert.match(text, /1958\.00 元/);
  assert.match(String(monthSummary(month({ differences: [], unreviewed: 0 }))), /没有变化/);
});

test('held back pay offers its confirmation with a reason; other rows do not', () => {
  const held = { id: 2, label: '补发待确认', household_id: 7, head_name: '张三', certificate: 'DB-2026-000001', township_name: '城关镇',
    old: '0.00', new: '14278.00', reason: '补发待确认：审批于 2026-11-23 录入', reviewed: false, awaiting_confirmation: true, case_id: 9 };
  const text = String(monthSummary(month({ differences: [held] })));
  assert.match(text, /补发待确认/);
  assert.match(text, /class="payments-confirm no-print" data-case-id="9"/);
  assert.match(text, /name="reason"/);
  assert.match(text, /确认补发/);
  assert.doesNotMatch(String(monthSummary(month())), /payments-confirm/);
});

test('payees without a valid account are listed with why, and the held ones apart', () => {
  const bad = { household_id: 9, head_name: '王五<i>', payee_name: '王五', township_name: '城关镇', bank_name: '', bank_account: '',
    why: '未登记开户银行和银行账号', payments: 1, amount: '660.00' };
  const text = String(monthSummary(month({ unreviewed: 0, invalid_accounts: [bad], held: [] })));
  assert.match(text, /id="payments-invalid-accounts"/);
  assert.match(text, /未登记开户银行和银行账号/);
  assert.match(text, /王五&lt;i&gt;/);
  assert.match(text, /有 1 户收款人的银行账号无效/);
  assert.doesNotMatch(text, /id="payments-held"/);
  const held = String(monthSummary(month({ invalid_accounts: [], held: [bad] })));
  assert.match(held, /id="payments-held"/);
  assert.match(held, /暂缓发放/);
  assert.doesNotMatch(String(monthSummary(month())), /payments-invalid-accounts/);
});

test('payments held at the lock are named apart from the totals', () => {
  assert.equal(heldNote({ statuses: [{ status: 'paid', label: '已到账', payments: 3, amount: '1980.00' }] }), '');
  assert.match(
    String(heldNote({ statuses: [{ status: 'held', label: '暂缓发放', payments: 1, amount: '660.00' }] })),
    /另有暂缓发放 1 笔 660\.00 元，未计入合计/,
  );
});
