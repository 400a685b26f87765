// The html tag escapes what caseworkers type; fragments nest without double escaping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, escape, trusted } from '../../../ui/lib/html.js';

const cases = [
  ['plain text', html`<td>${'张三'}</td>`, '<td>张三</td>'],
  ['markup in a name', html`<td>${'<img src=x onerror=alert(1)>'}</td>`, '<td>&lt;img src=x onerror=alert(1)&gt;</td>'],
  ['quotes in an attribute', html`<input value="${'a" autofocus onfocus="x'}">`, '<input value="a&quot; autofocus onfocus=&quot;x">'],
  ['single quote and backtick', html`${"O'Neil `x`"}`, 'O&#39;Neil &#96;x&#96;'],
  ['ampersand', html`${'A&B'}`, 'A&amp;B'],
  ['numbers', html`${0}-${42}`, '0-42'],
  ['null, undefined, booleans vanish', html`[${null}${undefined}${false}${true}]`, '[]'],
  ['nested fragment kept', html`<tr>${html`<td>${'<b>'}</td>`}</tr>`, '<tr><td>&lt;b&gt;</td></tr>'],
  ['arrays joined, items escaped', html`<ul>${['<a>', html`<li>${'&'}</li>`]}</ul>`, '<ul>&lt;a&gt;<li>&amp;</li></ul>'],
  ['trusted constant', html`${trusted('<br>')}`, '<br>'],
  ['an object is text', html`${{ toString: () => '<x>' }}`, '&lt;x&gt;'],
];

for (const [name, got, want] of cases) {
  test(`html: ${name}`, () => assert.equal(got.text, want));
}

test('escape covers every character that can break out of text or a quoted attribute', () => {
  assert.equal(escape(`<>&"'\``), '&lt;&gt;&amp;&quot;&#39;&#96;');
});
