// The calculation trail: each line's text escaped, its amount right-aligned, the server's yuan
// string shown as it came.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trailTable, yuanText } from '../../../ui/components/trail/trail.js';
import { calculation, classification } from '../../../ui/components/benefit-calc/benefit-calc.js';

const trail = [
  { kind: 'standard', text: '农村低保标准 632.00 元/人·月（2023-01-01 起）', amount: '632.00' },
  { kind: 'income', text: '<img src=x onerror=alert(1)> 工资性收入', amount: '1894.00' },
  { kind: 'formula', text: '632.00 × 3 − 1894.00 = 2.00 & "完"', amount: '2.00' },
  { kind: 'note', text: '按分取整' },
];

test('trail text is escaped, never markup', () => {
  const out = trailTable(trail).text;
  assert.ok(!out.includes('<img'), out);
  assert.match(out, /&lt;img src=x onerror=alert\(1\)&gt; 工资性收入/);
  assert.match(out, /2\.00 &amp; &quot;完&quot;/);
});

test('each line is a row; amounts sit in the right-aligned column as sent', () => {
  const out = trailTable(trail).text;
  const rows = out.match(/<tr class="trail-\w+">[\s\S]*?<\/tr>/g);
  assert.equal(rows.length, 4);
  assert.match(rows[0], /<td class="num">632\.00<\/td>/);
  assert.match(rows[1], /<td class="num">1,894\.00<\/td>/, 'grouped by thousands');
  assert.match(rows[3], /<td class="num"><\/td>/, 'a line without an amount has an empty cell');
});

test('an unknown line kind gives no class; markup in the kind cannot get out', () => {
  const out = trailTable([{ kind: '"><script>', text: 'x', amount: '1.00' }]).text;
  assert.ok(!out.includes('<script'));
  assert.match(out, /<tr class="">/);
});

test('the amount above the trail is the server\'s string', () => {
  assert.equal(yuanText('2.00'), '2.00 元');
  assert.equal(yuanText(null), '');
  assert.equal(yuanText('1894.00'), '1,894.00 元');
  const out = calculation({ programme: 'dibao', amount: '1,234.50', trail }, { month: '2026-11' }).text;
  assert.match(out, /低保 · 2026-11 测算金额：<span[^>]*>1,234.50 元<\/span>/);
});

test('classification reasons are escaped too', () => {
  const out = classification({ suggestion: 'dibao', label: '低保', reasons: ['<b>人均</b> 631.33 元'], trail: [] }, { date: '2026-11-23' }).text;
  assert.match(out, /&lt;b&gt;人均&lt;\/b&gt; 631.33 元/);
  assert.match(out, /资格初判（2026-11-23）/);
});
