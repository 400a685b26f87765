// 台账导入: the mapping sent is the columns chosen; required fields left without a column and a
// column chosen twice are caught before the server; the summary says what was written; the error
// table shows each problem's row and column with the text escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  columnLabel, mappingInput, unmappedRequired, doubleMapped, resultSummary, errorTable, warningTable, progressText, progressView,
} from '../../../ui/views/ledger-import/ledger-import.js';

const fields = [
  { key: 'head_name', label: '户主姓名', required: true },
  { key: 'head_id', label: '户主身份证号', required: true },
  { key: 'group', label: '组', required: false },
  { key: 'amount', label: '月保障金额', required: true },
];

test('mapping keeps only chosen columns', () => {
  assert.deepEqual(mappingInput({ head_name: 'A', head_id: 'B', group: '', amount: 'J' }), { head_name: 'A', head_id: 'B', amount: 'J' });
});

test('required fields without a column are named', () => {
  assert.deepEqual(unmappedRequired(fields, { head_name: 'A', group: 'E' }), ['户主身份证号', '月保障金额']);
  assert.deepEqual(unmappedRequired(fields, { head_name: 'A', head_id: 'B', amount: 'J' }), []);
});

test('a column chosen for two fields is found', () => {
  assert.deepEqual(doubleMapped(fields, { head_name: 'A', head_id: 'A', amount: 'J' }), [['A', ['户主姓名', '户主身份证号']]]);
  assert.deepEqual(doubleMapped(fields, { head_name: 'A', head_id: 'B' }), []);
});

test('summary of a dry run, an import, and a refused import', () => {
  const base = { rows: 10, skipped_count: 0, invalid_rows: 0, errors_total: 0, valid: 10, imported: 0, written: false, dry_run: false };
  assert.equal(resultSummary({ ...base, dry_run: true }), '校验完成：共 10 行，10 行可以导入。未写入任何数据。');
  assert.equal(resultSummary({ ...base, imported: 10, written: true }), '导入完成：共 10 行，已导入 10 户。');
  assert.equal(resultSummary({ ...base, imported: 10, written: true, first_paid_month: '2026-11' }),
    '导入完成：共 10 行，已导入 10 户。本系统自 2026-11 起发放，此前各月不补发。');
  assert.match(resultSummary({ ...base, invalid_rows: 2, errors_total: 3, valid: 8 }), /^未导入：共 10 行，2 行有错误（3 处）/);
  assert.equal(resultSummary({ ...base, skipped_count: 10, valid: 0 }), '没有需要导入的行：共 10 行，10 行已导入过（跳过）。');
});

test('error table shows row and column, escaped', () => {
  assert.equal(columnLabel({ letter: 'B', header: '公民身份号码' }), 'B 公民身份号码');
  assert.equal(columnLabel(null), '');
  const r = { errors_total: 1, errors: [{ row: 6, column: { letter: 'B', header: '<身份证>' }, message: '校验位错误' }] };
  const out = String(errorTable(r));
  assert.match(out, /<td class="num">6<\/td><td>B &lt;身份证&gt;<\/td><td>校验位错误<\/td>/);
  assert.equal(errorTable({ errors: [], errors_total: 0 }), '');
});

test('warnings are listed apart, saying they do not stop the import', () => {
  const r = { warnings_total: 1, warnings: [{ row: 4, column: { letter: 'I', header: '保障人数' }, message: '保障人数为 1，台账列出户主和家庭成员共 2 人' }] };
  const out = String(warningTable(r));
  assert.match(out, /不影响导入/);
  assert.match(out, /<td class="num">4<\/td><td>I 保障人数<\/td>/);
  assert.equal(warningTable({ warnings: [], warnings_total: 0 }), '');
  assert.equal(warningTable({}), '');
});

test('progress words for each phase, and without progress events', () => {
  assert.equal(progressText(null, false), '正在导入…');
  assert.equal(progressText(null, true), '正在校验…');
  assert.equal(progressText({ phase: 'read', done: 0, total: 0 }, false), '正在读取文件…');
  assert.equal(progressText({ phase: 'check', done: 12000, total: 40000 }, false), '已检查 12,000 / 40,000 行');
  assert.equal(progressText({ phase: 'check', done: 500, total: 1234567 }, true), '已检查 500 / 1,234,567 行');
  assert.equal(progressText({ phase: 'write', done: 8500, total: 40000 }, false), '正在写入… 已写入 8,500 / 40,000 户');
  assert.equal(progressText({ phase: 'write', done: 40000, total: 40000 }, false), '正在保存…');
});

test('the bar is measured while rows are counted, indeterminate otherwise', () => {
  assert.match(String(progressView({ phase: 'check', done: 500, total: 2000 }, false)), /<progress max="2000" value="500"><\/progress>/);
  assert.match(String(progressView(null, false)), /<progress><\/progress> <span>正在导入…<\/span>/);
  assert.match(String(progressView({ phase: 'read', done: 0, total: 0 }, false)), /<progress><\/progress> <span>正在读取文件…<\/span>/);
});
