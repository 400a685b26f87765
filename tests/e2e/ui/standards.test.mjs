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
    households: [{ household_id: 12, head_name: '<i>张三</i>', village_name: '李庄村', old: '120.00', new: '240.00', change: '120.00' }],
    count: 1, monthly_change: '120.00', annual_change: '1440.00', xlsx: '/tmp/测算.xlsx',
  }, { key: 'dibao.standard', label: '低保标准', scope: 'rural', value: '700', effective_from: '2023-01-01', month: '2023-01' }).text;
  assert.match(out, /&lt;i&gt;张三&lt;\/i&gt;/);
  assert.match(out, /1440\.00 元/);
  assert.match(out, /表格已写入：<span class="mono">\/tmp\/测算\.xlsx<\/span>/);
  assert.match(out, /href="#\/households\/12"/);
});
