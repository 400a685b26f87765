// 收入与财产 on the household page: itemised income per member, rigid expenditure and assets as
// finances.get returns them. Amounts are the server's yuan strings, shown as they come.

import { yuan } from '../../lib/format.js';
import { html } from '../../lib/html.js';
import { label } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./finances.css', import.meta.url));

const dash = (v) => (v === null || v === undefined || v === '' ? html`<span class="muted">—</span>` : v);

function incomesTable(rows) {
  if (!rows.length) return html`<p class="muted" id="finance-incomes">未登记收入。</p>`;
  return html`<table class="grid" id="finance-incomes">
    <thead><tr><th>成员</th><th>类别</th><th>周期</th><th class="num">金额（元）</th><th>不计入家庭收入</th><th>备注</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr class="${r.exempt ? 'exempt' : ''}">
      <td>${r.person_name}</td>
      <td>${label('income_kinds', r.kind)}</td>
      <td>${label('income_periods', r.period)}</td>
      <td class="num">${yuan(r.amount)}</td>
      <td>${r.exempt ? html`不计入：${r.exempt_reason}` : ''}</td>
      <td>${dash(r.note)}</td>
    </tr>`)}</tbody>
  </table>`;
}

function expendituresTable(rows) {
  if (!rows.length) return html`<p class="muted" id="finance-expenditures">未登记刚性支出。</p>`;
  return html`<table class="grid" id="finance-expenditures">
    <thead><tr><th>成员</th><th>类别</th><th class="num">每年金额（元）</th><th>备注</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr>
      <td>${r.person_name ?? '全家'}</td>
      <td>${label('expenditure_kinds', r.kind)}</td>
      <td class="num">${yuan(r.annual_amount)}</td>
      <td>${dash(r.note)}</td>
    </tr>`)}</tbody>
  </table>`;
}

function assetsBlock(a) {
  return html`<dl class="facts finance-assets" id="finance-assets">
    <div class="fact"><dt>存款</dt><dd><span class="money-text">${yuan(a.deposits)}</span> 元</dd></div>
    <div class="fact"><dt>车辆</dt><dd>${a.vehicles} 辆</dd></div>
    <div class="fact"><dt>其他住房</dt><dd>${a.extra_housing} 套</dd></div>
    <div class="fact"><dt>备注</dt><dd>${dash(a.note)}</dd></div>
  </dl>`;
}

/** The section body for one statement. */
export function financesBody(f) {
  const a = f.assets;
  const nothing = !f.incomes.length && !f.expenditures.length && a.deposits === '0.00' && !a.vehicles && !a.extra_housing && !a.note;
  if (nothing) return html`<p class="muted" id="finance-none">尚未登记收入、刚性支出和财产。</p>`;
  return html`
    <h3>收入</h3>${incomesTable(f.incomes)}
    <h3>刚性支出</h3>${expendituresTable(f.expenditures)}
    <h3>财产</h3>${assetsBlock(f.assets)}
  `;
}
