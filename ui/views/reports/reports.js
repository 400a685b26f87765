// 统计报表 (county approver, administrator): a run month's statistics by township × programme ×
// urban/rural, the structure of the persons covered, 临时救助 and 一事一议, everything paid by
// route (the roster, stages paid by hand, 先行救助 from the reserve fund), the spending split and
// the chart of the last twelve months; exported as Excel or PDF where the user chooses.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, thisMonth } from '../../lib/forms.js';
import { mayOpen } from '../../lib/session.js';
import { saveDocument } from '../../components/documents/documents.js';
import { chartSvg } from './chart.js';
import { yuan } from '../../lib/format.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./reports.css', import.meta.url));

const STRUCTURE = [
  ['total', '人数'], ['male', '男'], ['female', '女'], ['under_18', '18岁以下'], ['age_18_59', '18-59岁'],
  ['over_60', '60岁以上'], ['disabled', '残疾人'], ['severe', '其中重度'], ['labour_full', '有劳动能力'],
  ['labour_partial', '部分丧失'], ['labour_none', '完全丧失'],
];

/** The report's tables and chart. */
export function reportBody(r) {
  const t = r.total;
  return html`<div id="report">
    <p class="muted">发放月份 ${r.month}（${r.state_label}）；单位：户、人、元、万元。</p>
    <h2>一、分乡镇保障情况</h2>
    <table class="grid" id="report-lines">
      <thead><tr><th>乡镇（街道）</th><th>类别</th><th>城乡</th><th class="num">户数</th><th class="num">人数</th>
        <th class="num">本月新增（户）</th><th class="num">本月退出（户）</th><th class="num">金额（元）</th><th class="num">金额（万元）</th></tr></thead>
      <tbody>${r.lines.map((l) => html`<tr><td>${l.township_name}</td><td>${l.programme_label}</td><td>${l.urban_rural_label}</td>
        <td class="num">${l.households}</td><td class="num">${l.persons}</td><td class="num">${l.new}</td><td class="num">${l.exits}</td>
        <td class="num">${yuan(l.amount)}</td><td class="num">${l.amount_wan}</td></tr>`)}
        <tr class="total"><th colspan="3" scope="row">合计</th><td class="num">${t.households}</td><td class="num">${t.persons}</td>
        <td class="num">${t.new}</td><td class="num">${t.exits}</td><td class="num" id="report-total">${yuan(t.amount)}</td><td class="num">${t.amount_wan}</td></tr></tbody>
    </table>
    <h2>二、保障对象结构 <span class="muted">（保障家庭在册成员，按月末年龄）</span></h2>
    <table class="grid" id="report-structure">
      <thead><tr><th>类别</th>${STRUCTURE.map(([, label]) => html`<th class="num">${label}</th>`)}</tr></thead>
      <tbody>${r.structure.map((s) => html`<tr class="${s.label === '合计' ? 'total' : ''}"><th scope="row">${s.label}</th>
        ${STRUCTURE.map(([key]) => html`<td class="num">${s[key]}</td>`)}</tr>`)}</tbody>
    </table>
    <h2>三、临时救助、一事一议和支出构成</h2>
    <table class="grid" id="report-other">
      <thead><tr><th>项目</th><th class="num">人次（笔）</th><th class="num">户数</th><th class="num">金额（元）</th><th class="num">金额（万元）</th></tr></thead>
      <tbody>
        ${[['临时救助', r.temp_aid], ['一事一议', r.deliberation]].map(([label, o]) => html`<tr><td>${label}</td>
          <td class="num">${o.payments}</td><td class="num">${o.households}</td><td class="num">${yuan(o.amount)}</td><td class="num">${o.amount_wan}</td></tr>`)}
        ${(r.routes ?? []).map((x) => html`<tr class="route"><td>发放途径：${x.route_label}·${x.programme_label}</td>
          <td class="num">${x.payments}</td><td class="num">${x.households}</td><td class="num">${yuan(x.amount)}</td><td class="num">${x.amount_wan}</td></tr>`)}
        ${r.split.map((s) => html`<tr><td colspan="3">支出：${s.label}</td><td class="num">${yuan(s.amount)}</td><td class="num">${s.amount_wan}</td></tr>`)}
        <tr class="total"><th colspan="3" scope="row">本月支出合计</th><td class="num" id="report-spending">${yuan(r.total_amount)}</td><td class="num">${r.total_amount_wan}</td></tr>
      </tbody>
    </table>
    <h2>四、近12个月支出和保障人数</h2>
    <div class="legend"><span><span class="swatch bar"></span>支出（万元，左轴）</span><span><span class="swatch line"></span>保障人数（人，右轴）</span></div>
    ${chartSvg(r.series)}
    <table class="grid sr-only" id="report-series"><caption>近12个月</caption>
      <thead><tr><th>月份</th><th>支出（元）</th><th>保障人数</th></tr></thead>
      <tbody>${r.series.map((s) => html`<tr><td>${s.month}</td><td>${s.run ? s.amount : '未发放'}</td><td>${s.run ? s.persons : ''}</td></tr>`)}</tbody>
    </table>
  </div>`;
}

export async function reportsView(root) {
  if (!mayOpen(root, '统计报表', 'payments')) return;
  render(root, html`<section class="page reports">
    <div class="page-head"><h1>月度统计报表</h1>
      <div class="actions">
        <button type="button" id="report-xlsx" disabled>导出 Excel</button>
        <button type="button" id="report-pdf" disabled>导出 PDF</button>
        <button type="button" id="report-print">打印</button></div></div>
    <form id="report-month" class="panel no-print" novalidate>
      <div class="grid-fields">
        ${field({ name: 'month', label: '统计月份', type: 'month', value: thisMonth(), required: '请填写统计月份', id: 'report-month-input' })}
      </div>
      <div class="form-error" role="alert"></div>
      <div class="form-actions"><button type="submit" class="primary" id="report-show">查看</button></div>
    </form>
    <div id="report-out"></div>
  </section>`);
  const form = root.querySelector('#report-month');
  const out = root.querySelector('#report-out');
  const exports = [root.querySelector('#report-xlsx'), root.querySelector('#report-pdf')];
  let shown = null;
  const show = async (month) => {
    try {
      shown = await call('stats.month', { month });
      render(out, reportBody(shown));
    } catch (err) {
      shown = null;
      render(out, html`<p class="banner error" id="report-error">${err.message}</p>`);
    }
    for (const b of exports) b.disabled = !shown;
  };
  onSubmit(form, (input) => show(input.month));
  const save = (format) => shown && saveDocument({
    title: `${shown.month} 月度统计表`,
    command: 'stats.export',
    input: { month: shown.month },
    fileName: `月度统计-${shown.month}.${format}`,
    format,
  });
  exports[0].addEventListener('click', () => save('xlsx'));
  exports[1].addEventListener('click', () => save('pdf'));
  root.querySelector('#report-print').addEventListener('click', () => window.print());
  // Open on the latest month that was run (this month is often not run yet).
  const runs = (await call('payment.get', { month: thisMonth() })).runs || [];
  if (runs.length) form.elements.month.value = runs[0].month;
  await show(form.elements.month.value);
  form.elements.month.focus();
}
