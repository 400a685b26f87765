// The calculation trail under an amount: each line's words, and where a line stands for a sum of
// money, that sum right-aligned. Line texts come from the server and may quote names typed by
// caseworkers, so they go through the `html` tag like everything else.

import { html } from '../../lib/html.js';
import { yuan } from '../../lib/format.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./trail.css', import.meta.url));

const KINDS = new Set(['standard', 'income', 'deduction', 'formula', 'rounding', 'note']);

/** '2.00' → '2.00 元', '1894.00' → '1,894.00 元' (the one formatter); missing → ''. */
export function yuanText(amount) {
  return amount === null || amount === undefined || amount === '' ? '' : `${yuan(amount)} 元`;
}

/** The trail as a two-column table; `caption` (optional) heads it. */
export function trailTable(trail, { caption, id } = {}) {
  const lines = Array.isArray(trail) ? trail : [];
  if (!lines.length) return html`<p class="muted trail-empty">没有计算过程。</p>`;
  return html`<table class="trail"${id ? html` id="${id}"` : ''}>
    ${caption ? html`<caption>${caption}</caption>` : ''}
    <thead><tr><th scope="col">计算过程</th><th scope="col" class="num">金额（元）</th></tr></thead>
    <tbody>${lines.map((l) => html`<tr class="${KINDS.has(l.kind) ? `trail-${l.kind}` : ''}">
      <td class="trail-text">${l.text}</td>
      <td class="num">${yuan(l.amount)}</td>
    </tr>`)}</tbody>
  </table>`;
}
