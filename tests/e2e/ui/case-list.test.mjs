// 案件列表: the list's state kept in the address (so 返回 from a case comes back to it), the input
// sent to case.list, the sort a column click gives, the summary line, and the rows (names
// escaped, the amount of a case first paid later marked with its month).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateFromQuery, addressOf, listInput, nextSort, summaryText, rowsHtml } from '../../../ui/views/case-list/case-list.js';

test('the address keeps the search, filters, sort and page, and gives them back', () => {
  const q = new URLSearchParams('q=张&t=2&v=7&prog=dibao&st=enrolled&sort=amount&order=desc&p=3&n=100');
  const s = stateFromQuery(q, null);
  assert.deepEqual(s, { q: '张', township_id: '2', village_id: '7', programme: 'dibao', state: 'enrolled',
    sort: 'amount', order: 'desc', page: 3, page_size: 100 });
  const back = addressOf(s, null);
  assert.deepEqual(stateFromQuery(new URLSearchParams(back.split('?')[1]), null), s);
  assert.equal(addressOf(stateFromQuery(new URLSearchParams(''), null), null), '#/cases', 'defaults left out');
  // Township staff: their own township, whatever the address says; not written to it.
  const own = stateFromQuery(new URLSearchParams('t=9&p=-2&n=7'), 2);
  assert.equal(own.township_id, '2');
  assert.equal(own.page, 1);
  assert.equal(own.page_size, 50);
  assert.ok(!addressOf(own, 2).includes('t='));
});

test('case.list gets numbers for areas and no blank filters', () => {
  const s = stateFromQuery(new URLSearchParams('q=zs&t=2&sort=name'), null);
  assert.deepEqual(listInput(s), { q: 'zs', sort: 'name', order: 'asc', page: 1, page_size: 50, township_id: 2 });
  assert.equal(listInput(s, 4).page, 4);
});

test('a column click sorts by it; a second click turns the direction', () => {
  assert.deepEqual(nextSort({ sort: 'number', order: 'asc' }, 'number'), { sort: 'number', order: 'desc' });
  assert.deepEqual(nextSort({ sort: 'number', order: 'desc' }, 'name'), { sort: 'name', order: 'asc' });
  assert.deepEqual(nextSort({ sort: 'name', order: 'asc' }, 'amount'), { sort: 'amount', order: 'desc' }, 'largest first');
});

test('the summary counts, pages and totals, or says nothing matched', () => {
  assert.equal(summaryText({ total: 861, page: 2, pages: 18, amount_total: '1234567.50' }, ''),
    '共 861 件，第 2 / 18 页，月保障金额合计 1,234,567.50 元');
  assert.equal(summaryText({ total: 0, page: 1, pages: 1, amount_total: '0.00' }, '孙'), '没有找到与“孙”相符的案件');
});

test('rows escape names, show masked IDs and mark an amount paid from a later month', () => {
  const c = { id: 5, number: 'DB-2026-000005', programme: 'dibao', head_name: '刘<b>城', head_id_number: '4101**********0118',
    township_name: '城关镇', village_name: '李庄村', applied_on: '2026-10-19', state_label: '在保', deadline: null, overdue: false,
    monthly_amount: '1168.00', current_amount: null, pay_from: '2026-12', updated_at: '2026-11-23 10:02:11' };
  const text = String(rowsHtml([c]));
  assert.ok(text.includes('刘&lt;b&gt;城'), text);
  assert.ok(text.includes('4101**********0118'));
  assert.ok(text.includes('1,168.00') && text.includes('自 2026-12'), text);
  assert.ok(text.includes('href="#/cases/5"') && text.includes('tabindex="0"'));
  const printed = String(rowsHtml([{ ...c, current_amount: '1168.00' }], { print: true }));
  assert.ok(!printed.includes('href=') && !printed.includes('自 2026-12'), printed);
});
