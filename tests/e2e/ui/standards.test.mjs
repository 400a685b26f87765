// 保障标准 and 政策测算: every catalogue key shows once per area it is set for, with its stored
// history; a budget change reads as up or down from the server's string, never as a number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { standardsTable, groupOf } from '../../../ui/views/standards/standards.js';
import { direction, whatIfResult } from '../../../ui/views/what-if/what-if.js';

const catalogue = [
  { key: 'dibao.standard', label: '低保标准', kind: 'money', per_area: true, default: { urban: '871.00', rural: '660.00' }, options: null },
  { key: 'exit.gradual_months', label: '渐退期（月）', kind: 'integer', per_area: false, default: '12', options: null },
];
const rows = [
  { id: 1, key: 'dibao.standard', scope: 'rural', effective_from: '2023-01-01', value: '660.00', in_force: true, future: false },
  { id: 2, key: 'dibao.standard', scope: 'rural', effective_from: '2027-01-01', value: '700.00', in_force: false, future: true },
  { id: 3, key: 'old.key', label: 'old.key', scope: 'all', effective_from: '2020-01-01', value: 'x', in_force: true, future: false },
];

test('each key appears per area, in catalogue order, with its rows oldest first', () => {
  const pairs = standardsTable(catalogue, rows);
  assert.deepEqual(pairs.map((p) => `${p.def.key}/${p.scope}/${p.rows.map((r) => r.id).join(',')}`), [
    'dibao.standard/urban/', 'dibao.standard/rural/1,2', 'exit.gradual_months/all/', 'old.key/all/3',
  ]);
});

test('keys fall into their sections', () => {
  assert.equal(groupOf('dibao.uplift.minor.ratio'), '最低生活保障');
  assert.equal(groupOf('unsupported_child'), '孤儿和事实无人抚养儿童');
  assert.equal(groupOf('something.new'), '其他');
});

test('a change is up, down or none by its text', () => {
  assert.equal(direction('120.00'), 'up');
  assert.equal(direction('-0.50'), 'down');
  assert.equal(direction('0.00'), '');
});

test('what-if rows are escaped and amounts shown as sent', () => {
  const out = whatIfResult({
    cases: [{ case_id: 3, number: 'DB-2026-000003', programme_label: '低保', household_id: 12, head_name: '<i>张三</i>', township_name: '城关镇', village_name: '李庄村', paid_now: '360.00', proposed: '380.00', change: '20.00', reasons: ['农村低保标准 660 → 700 元'] }],
    enrolled: 2, count: 1, phasing_out: 0, paid_now: '1031.00', proposed: '1051.00', enrolled_change: '20.00', left_out: [],
    newly: [{ household_id: 14, head_name: '李四', township_name: '城关镇', village_name: '李庄村', form: '低保', persons: 1, amount: '20.00', pending_case: 'DB-2026-000009' }],
    newly_count: 1, newly_amount: '20.00', already_eligible: 1, failed: 0,
    totals: [{ programme: null, programme_label: '合计', township_name: '全县合计', cases: 2, changed: 1, paid_now: '1031.00', proposed: '1051.00', change: '20.00', newly: 1, newly_amount: '20.00', monthly_change: '40.00' }],
    monthly_change: '40.00', annual_change: '480.00', xlsx: '/tmp/测算.xlsx',
  }, { key: 'dibao.standard', label: '低保标准', scope: 'rural', value: '700', effective_from: '2023-01-01', month: '2023-01' }).text;
  assert.match(out, /&lt;i&gt;张三&lt;\/i&gt;/);
  assert.match(out, /480\.00 元/);
  assert.match(out, /1031\.00 → 1051\.00 元/);
  assert.match(out, /表格已写入：<span class="mono">\/tmp\/测算\.xlsx<\/span>/);
  assert.match(out, /href="#\/households\/12"/);
  assert.match(out, /href="#\/cases\/3"/);
  assert.match(out, /id="what-if-newly"/);
  assert.match(out, /DB-2026-000009/);
  assert.match(out, /另有 1 户目前没有在保案件，但按现行标准已符合条件/);
});
