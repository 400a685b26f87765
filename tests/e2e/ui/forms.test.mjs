// A server error's `field` finds its input; form entries become the command's JSON input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorTarget, buildInput, parsePath, normalizeDate, normalizeMonth, refreshOnConflict } from '../../../ui/lib/forms.js';

const householdForm = [
  'village_id', 'group_id', 'hukou', 'address', 'phone', 'bank_name', 'bank_account', 'joined_on',
  'head.name', 'head.id_number', 'head.labour_capacity',
  'members[0].name', 'members[0].id_number', 'members[0].relation',
  'members[1].name', 'members[1].id_number', 'members[1].relation',
];
const memberDialog = ['name', 'id_number', 'relation', 'joined_on', 'disability_grade'];

const cases = [
  // [what, error field, form names, expected input name or null (form-level)]
  ['household field', 'phone', householdForm, 'phone'],
  ['head ID number', 'head.id_number', householdForm, 'head.id_number'],
  ['second member name', 'members[1].name', householdForm, 'members[1].name'],
  ['member relation', 'members[0].relation', householdForm, 'members[0].relation'],
  ['a parent path goes to its first input', 'members[1]', householdForm, 'members[1].name'],
  ['a field the form lacks goes to the form', 'person_id', householdForm, null],
  ['root-level deserialization error', '.', householdForm, null],
  ['no field at all', undefined, householdForm, null],
  ['unprefixed command error in a dialog', 'id_number', memberDialog, 'id_number'],
  ['bare leaf on a prefixed form', 'labour_capacity', householdForm, 'head.labour_capacity'],
];

for (const [what, field, names, want] of cases) {
  test(`errorTarget: ${what}`, () => {
    assert.equal(errorTarget({ code: 'invalid_input', message: 'x', field }, names), want);
  });
}

test('parsePath splits dots and indexes', () => {
  assert.deepEqual(parsePath('members[2].id_number'), ['members', 2, 'id_number']);
  assert.deepEqual(parsePath('head.name'), ['head', 'name']);
  assert.deepEqual(parsePath('phone'), ['phone']);
});

test('buildInput nests paths and converts by type', () => {
  const input = buildInput([
    ['village_id', '12', 'int'],
    ['group_id', '', 'int'],
    ['address', ' 东街 3 号 ', 'text'],
    ['phone', '  ', 'opt'],
    ['joined_on', '', 'date'],
    ['head.name', '单雪芹'],
    ['head.disability_grade', '2', 'int'],
    ['members[0].name', '李四'],
    ['members[0].relation', 'spouse', 'opt'],
    ['members[1].name', '王五'],
    ['active', true, 'bool'],
  ]);
  assert.deepEqual(input, {
    village_id: 12,
    group_id: null,
    address: ' 东街 3 号 ',
    phone: null,
    joined_on: null,
    head: { name: '单雪芹', disability_grade: 2 },
    members: [{ name: '李四', relation: 'spouse' }, { name: '王五' }],
    active: true,
  });
});

test('buildInput: a blank required id becomes its stated empty value, so the server names the field', () => {
  assert.deepEqual(buildInput([['village_id', '', 'int', '0']]), { village_id: 0 });
});

test('dates are typed fast and sent as yyyy-mm-dd', () => {
  const cases = [
    ['2026-11-01', '2026-11-01'], ['20261101', '2026-11-01'], ['2026/11/1', '2026-11-01'],
    ['2026.1.5', '2026-01-05'], ['2026年11月1日', '2026-11-01'], ['2024-02-29', '2024-02-29'],
    ['2026-02-29', null], ['2026-13-01', null], ['11/01/2026', null], ['昨天', null],
  ];
  for (const [typed, want] of cases) assert.equal(normalizeDate(typed), want, typed);
  assert.deepEqual(buildInput([['death_date', '20261101', 'date'], ['left_on', '', 'date']]), { death_date: '2026-11-01', left_on: null });
});

test('months are typed fast and sent as yyyy-mm', () => {
  const cases = [
    ['2026-11', '2026-11'], ['202611', '2026-11'], ['2026/1', '2026-01'], ['2026.11', '2026-11'],
    ['2026年3月', '2026-03'], ['2026-13', null], ['2026-00', null], ['11/2026', null], ['2026-11-01', null],
  ];
  for (const [typed, want] of cases) assert.equal(normalizeMonth(typed), want, typed);
  assert.deepEqual(buildInput([['month', '202611', 'month']]), { month: '2026-11' });
});

test('a step someone else took first offers 刷新; other refusals do not', async () => {
  const refresh = () => {};
  const moved = { code: 'conflict', message: '该案件已被他人办理，请刷新', field: 'expected_version' };
  await assert.rejects(refreshOnConflict(Promise.reject(moved), refresh), (e) => e.refresh === refresh);
  const other = { code: 'conflict', message: '该户已有在办案件', field: 'household_id' };
  await assert.rejects(refreshOnConflict(Promise.reject(other), refresh), (e) => e.refresh === undefined);
  assert.equal(await refreshOnConflict(Promise.resolve(7), refresh), 7);
});
