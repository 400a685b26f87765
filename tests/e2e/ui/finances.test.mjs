// 编辑收入与财产: the form becomes finances.set's input with money as the strings typed and blank
// rows dropped; a refusal naming the n-th income sent lands on the row the caseworker sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInput, errorTarget } from '../../../ui/lib/forms.js';
import { statementInput, formField } from '../../../ui/views/finances-form/finances-form.js';

// What readForm hands over for a form of three income rows (the middle one left blank), one
// blank expenditure row and the assets, typed as the inputs declare them.
const entries = [
  ['incomes[0].person_id', '30', 'int'], ['incomes[0].kind', 'wage'], ['incomes[0].period', 'monthly'],
  ['incomes[0].amount', '1894'], ['incomes[0].exempt', false, 'bool'], ['incomes[0].note', '', 'opt'],
  ['incomes[1].person_id', '30', 'int'], ['incomes[1].kind', 'wage'], ['incomes[1].period', 'monthly'],
  ['incomes[1].amount', '  '], ['incomes[1].exempt', false, 'bool'], ['incomes[1].note', '', 'opt'],
  ['incomes[2].person_id', '31', 'int'], ['incomes[2].kind', 'transfer'], ['incomes[2].period', 'annual'],
  ['incomes[2].amount', '1200.50'], ['incomes[2].exempt', true, 'bool'],
  ['incomes[2].exempt_reason', '见义勇为奖励', 'opt'], ['incomes[2].note', '', 'opt'],
  ['expenditures[0].person_id', '', 'int'], ['expenditures[0].kind', 'medical'],
  ['expenditures[0].annual_amount', ''], ['expenditures[0].note', '', 'opt'],
  ['assets.deposits', '20000'], ['assets.vehicles', ''], ['assets.extra_housing', '1'], ['assets.note', '', 'opt'],
];
const formNames = entries.map(([n]) => n);

test('money stays the string typed; blank rows are dropped', () => {
  const { input, rows } = statementInput(12, buildInput(entries));
  assert.deepEqual(input, {
    household_id: 12,
    incomes: [
      { person_id: 30, kind: 'wage', period: 'monthly', amount: '1894', exempt: false, note: null },
      { person_id: 31, kind: 'transfer', period: 'annual', amount: '1200.50', exempt: true, exempt_reason: '见义勇为奖励', note: null },
    ],
    expenditures: [],
    assets: { deposits: '20000', vehicles: 0, extra_housing: 1, note: null },
  });
  for (const i of input.incomes) assert.equal(typeof i.amount, 'string');
  assert.equal(typeof input.assets.deposits, 'string');
  assert.deepEqual(rows, { incomes: [0, 2], expenditures: [] });
});

test('amounts are never turned into numbers: 1,894.5 and 0.10 go as typed', () => {
  const raw = { incomes: [{ person_id: 30, kind: 'wage', period: 'monthly', amount: '1,894.5' },
    { person_id: 30, kind: 'other', period: 'annual', amount: '0.10' }], assets: { deposits: '007' } };
  const { input } = statementInput(1, raw);
  assert.deepEqual(input.incomes.map((i) => i.amount), ['1,894.5', '0.10']);
  assert.equal(input.assets.deposits, '007');
});

test('a row with only a note is kept, so the server asks for its amount', () => {
  const { input, rows } = statementInput(1, {
    incomes: [{ person_id: 30, kind: 'wage', period: 'monthly', amount: '', note: '打零工' }],
    expenditures: [{ person_id: null, kind: 'medical', annual_amount: '', note: '' },
      { person_id: null, kind: 'schooling', annual_amount: '3000', note: null }],
  });
  assert.equal(input.incomes[0].amount, '');
  assert.deepEqual(input.expenditures, [{ person_id: null, kind: 'schooling', annual_amount: '3000', note: null }]);
  assert.deepEqual(rows, { incomes: [0], expenditures: [1] });
});

test('the server\'s incomes[1].amount is the third row on the form when the second was blank', () => {
  const { rows } = statementInput(12, buildInput(entries));
  const refusal = { code: 'invalid_input', message: '金额“12O0”不是有效数字', field: formField('incomes[1].amount', rows) };
  assert.equal(refusal.field, 'incomes[2].amount');
  assert.equal(errorTarget(refusal, formNames), 'incomes[2].amount');
});

test('formField leaves other fields alone and follows parents and expenditures', () => {
  const rows = { incomes: [0, 2], expenditures: [1] };
  const cases = [
    ['incomes[0].person_id', 'incomes[0].person_id'],
    ['incomes[1]', 'incomes[2]'],
    ['expenditures[0].annual_amount', 'expenditures[1].annual_amount'],
    ['assets.deposits', 'assets.deposits'],
    ['household_id', 'household_id'],
    ['incomes[5].amount', 'incomes[5].amount'],
    [undefined, undefined],
  ];
  for (const [from, want] of cases) assert.equal(formField(from, rows), want, String(from));
  assert.equal(errorTarget({ field: 'assets.deposits' }, formNames), 'assets.deposits');
});

test('local refusals name the form row: no member, counts that are not whole numbers', () => {
  assert.throws(() => statementInput(1, { incomes: [{}, { person_id: null, amount: '100' }] }),
    (e) => e.field === 'incomes[1].person_id' && /哪位成员/.test(e.message));
  assert.throws(() => statementInput(1, { assets: { vehicles: '1.5' } }),
    (e) => e.field === 'assets.vehicles' && /整数/.test(e.message));
});
