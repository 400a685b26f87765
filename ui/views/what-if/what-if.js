// 政策测算 (county approver, administrator): "what if this standard took this value from this
// date?" — for a month, what the open 低保/特困 cases are paid now against what they would be
// paid, the families without a case who would newly qualify, the totals by programme and
// township, and the monthly and annual budget change (benefit.what_if). Nothing is stored; the
// tables may also be written to an .xlsx file whose path the user types.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, thisMonth } from '../../lib/forms.js';
import { mayOpen } from '../../lib/session.js';
import { kindHint } from '../standards/standards.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./what-if.css', import.meta.url));

const SCOPES = { urban: '城市', rural: '农村', all: '全县' };

/** '120.00' → 'up', '-5.00' → 'down', '0.00' → '' (the server's strings, compared as text). */
export function direction(change) {
  const t = String(change ?? '').trim();
  if (t.startsWith('-')) return 'down';
  return /[1-9]/.test(t) ? 'up' : '';
}

/** Totals by programme and township: paid now, proposed, and the newly qualifying. */
function totalsTable(totals) {
  if (!totals?.length) return '';
  return html`<table class="grid" id="what-if-totals">
    <caption>分类别、分乡镇汇总（元/月）</caption>
    <thead><tr><th>类别</th><th>乡镇（街道）</th><th class="num">在保案件</th><th class="num">金额变化</th>
      <th class="num">现发合计</th><th class="num">测算合计</th><th class="num">在保变化</th>
      <th class="num">新增符合条件（户）</th><th class="num">新增金额</th><th class="num">每月变化合计</th></tr></thead>
    <tbody>${totals.map((t) => html`<tr class="${t.programme && t.township_name !== '全县' ? '' : 'total-row'}">
      <td>${t.programme_label}</td><td>${t.township_name}</td>
      <td class="num">${t.cases}</td><td class="num">${t.changed}</td>
      <td class="num">${t.paid_now}</td><td class="num">${t.proposed}</td>
      <td class="num ${direction(t.change)}">${t.change}</td>
      <td class="num">${t.newly}</td><td class="num">${t.newly_amount}</td>
      <td class="num ${direction(t.monthly_change)}">${t.monthly_change}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** The result: what open cases are paid now against the proposal, the families without a case
 *  who would newly qualify, and the totals. The server lists at most a few hundred rows of each;
 *  the .xlsx has them all. */
export function whatIfResult(r, input) {
  const what = r.standard || input.label || input.key;
  const month = r.month || input.month;
  const cases = r.cases ?? [];
  const newly = r.newly ?? [];
  return html`<div id="what-if-result">
    <h2>测算结果 <span class="muted">${what}自 ${input.effective_from} 起调整为 ${input.value}，${month} 月</span></h2>
    <dl class="facts what-if-summary">
      <div class="fact"><dt>在保案件（金额变化）</dt><dd id="what-if-count">${r.enrolled ?? 0} 件（${r.count} 件变化）</dd></div>
      <div class="fact"><dt>现发 → 测算（每月）</dt><dd id="what-if-enrolled">${r.paid_now} → ${r.proposed} 元</dd></div>
      <div class="fact"><dt>在保变化（每月）</dt><dd class="money-text ${direction(r.enrolled_change)}" id="what-if-enrolled-change">${r.enrolled_change} 元</dd></div>
      <div class="fact"><dt>新增符合条件</dt><dd id="what-if-newly-count">${r.newly_count ?? 0} 户，${r.newly_amount ?? '0.00'} 元/月</dd></div>
      <div class="fact"><dt>每月变化合计</dt><dd class="money-text ${direction(r.monthly_change)}" id="what-if-monthly">${r.monthly_change} 元</dd></div>
      <div class="fact"><dt>全年变化合计</dt><dd class="money-text ${direction(r.annual_change)}" id="what-if-annual">${r.annual_change} 元</dd></div>
    </dl>
    <p class="muted">现发金额为 ${month} 月在保案件（含渐退期）的核定金额；测算金额按新标准计算。新增符合条件：目前没有在保低保、特困案件，按新标准将符合条件的家庭（须经申请审批）。</p>
    ${r.phasing_out ? html`<p class="muted" id="what-if-phasing">其中 ${r.phasing_out} 件处于渐退期，按退出时核定的金额发放，不随标准变化。</p>` : ''}
    ${r.already_eligible ? html`<p class="muted" id="what-if-already">另有 ${r.already_eligible} 户目前没有在保案件，但按现行标准已符合条件，未计入新增。</p>` : ''}
    ${r.failed ? html`<p class="banner warn" id="what-if-failed">另有 ${r.failed} 户因登记信息不全无法测算，未计入上述结果。</p>` : ''}
    ${r.left_out?.length ? html`<div class="banner warn" id="what-if-left"><p>以下在保案件未计入：</p><ul>${r.left_out.map((l) => html`<li>${l.number} ${l.head_name}：${l.why}</li>`)}</ul></div>` : ''}
    ${r.xlsx ? html`<p class="banner ok" id="what-if-xlsx">表格已写入：<span class="mono">${r.xlsx}</span></p>` : ''}
    ${totalsTable(r.totals)}
    <h3>在保案件金额变化</h3>
    ${cases.length < r.count ? html`<p class="muted">下表列出前 ${cases.length} 件${r.xlsx ? '；全部见导出的表格' : '；要看全部，请导出 Excel'}。</p>` : ''}
    ${cases.length ? html`<table class="grid" id="what-if-table">
      <thead><tr><th>案件编号</th><th>类别</th><th>户主</th><th>乡镇（街道）</th><th>村（社区）</th><th class="num">现发金额（元）</th><th class="num">测算金额（元）</th><th class="num">变化（元）</th><th>原因</th></tr></thead>
      <tbody>${cases.map((c) => html`<tr>
        <td><a href="#/cases/${c.case_id}">${c.number}</a></td>
        <td>${c.programme_label}</td>
        <td><a href="#/households/${c.household_id}">${c.head_name}</a></td>
        <td>${c.township_name ?? ''}</td>
        <td>${c.village_name}</td>
        <td class="num">${c.paid_now}</td>
        <td class="num">${c.proposed}</td>
        <td class="num ${direction(c.change)}">${c.change}</td>
        <td>${(c.reasons ?? []).join('；')}</td>
      </tr>`)}</tbody>
    </table>` : html`<p class="muted" id="what-if-none">按这个值，${month} 月没有在保案件的金额发生变化。</p>`}
    <h3>新增符合条件的家庭</h3>
    ${newly.length < (r.newly_count ?? 0) ? html`<p class="muted">下表列出前 ${newly.length} 户${r.xlsx ? '；全部见导出的表格' : '；要看全部，请导出 Excel'}。</p>` : ''}
    ${newly.length ? html`<table class="grid" id="what-if-newly">
      <thead><tr><th>户主</th><th>乡镇（街道）</th><th>村（社区）</th><th>类别</th><th class="num">保障人数</th><th class="num">测算金额（元/月）</th><th>在办申请</th></tr></thead>
      <tbody>${newly.map((n) => html`<tr>
        <td><a href="#/households/${n.household_id}">${n.head_name}</a></td>
        <td>${n.township_name ?? ''}</td>
        <td>${n.village_name}</td>
        <td>${n.form}</td>
        <td class="num">${n.persons}</td>
        <td class="num">${n.amount}</td>
        <td>${n.pending_case ?? ''}</td>
      </tr>`)}</tbody>
    </table>` : html`<p class="muted" id="what-if-newly-none">按这个值，没有新增符合条件的家庭。</p>`}
  </div>`;
}

export async function whatIfView(root) {
  if (!mayOpen(root, '政策测算', 'whatIf')) return;
  const [{ keys: catalogue }, { rows }] = await Promise.all([call('standard.catalogue'), call('standard.list', {})]);
  // What-if asks about numbers; choices and tables are set on 保障标准.
  const keys = catalogue.filter((d) => ['money', 'ratio', 'integer'].includes(d.kind));
  const defOf = (key) => keys.find((d) => d.key === key);
  const first = defOf('dibao.standard') ? 'dibao.standard' : keys[0].key;
  const month = thisMonth();

  const scopeAndValue = (def, sc) => {
    const scopes = def.per_area ? ['rural', 'urban'] : ['all'];
    const s = scopes.includes(sc) ? sc : scopes[0];
    const current = rows.find((r) => r.key === def.key && r.scope === s && r.in_force);
    return html`
      ${field({ name: 'scope', label: '范围', type: 'select', value: s, options: scopes.map((c) => ({ code: c, label: SCOPES[c] })) })}
      ${field({
        name: 'value', label: `新值${def.kind === 'money' ? '（元）' : ''}`, required: '请填写要测算的新值',
        hint: current ? `现行 ${current.value}${def.kind === 'money' ? ' 元' : ''}（${current.effective_from} 起）；${kindHint(def.kind)}` : kindHint(def.kind),
        attrs: html`inputmode="decimal" autocomplete="off" class="${def.kind === 'money' ? 'money' : 'mono'}"`,
      })}`;
  };

  render(root, html`
    <section class="page what-if">
      <div class="page-head"><h1>政策测算</h1>
        <div class="actions"><button type="button" id="what-if-print">打印</button></div>
      </div>
      <p class="muted no-print">假设某项保障标准自某日起调整为新值，测算某月在保低保、特困案件的现发金额与按新标准计算的金额，以及将新增符合条件的家庭和资金变化。只测算，不保存，也不改变现行标准。</p>
      <form id="what-if-form" class="panel no-print" novalidate>
        <div class="grid-fields">
          ${field({ name: 'key', label: '标准项', type: 'select', value: first, options: keys.map((d) => ({ code: d.key, label: d.label })), wide: true, id: 'what-if-key' })}
          <div class="what-if-dependent">${scopeAndValue(defOf(first))}</div>
          ${field({ name: 'effective_from', label: '生效日期', type: 'date', value: `${month}-01`, required: '请填写生效日期' })}
          ${field({ name: 'month', label: '测算月份', type: 'month', value: month, required: '请填写测算月份' })}
          ${field({ name: 'xlsx', label: '同时导出 Excel（可不填）', dtype: 'opt', wide: true, id: 'what-if-xlsx-path',
            hint: '本机上的完整文件路径，以 .xlsx 结尾，如 /home/mz/政策测算.xlsx', attrs: html`spellcheck="false" class="mono"` })}
        </div>
        <div class="form-error" role="alert"></div>
        <div class="form-actions"><button type="submit" class="primary" id="what-if-run">测算</button></div>
      </form>
      <div id="what-if-out" aria-live="polite"></div>
    </section>
  `);
  const form = root.querySelector('#what-if-form');
  const dep = form.querySelector('.what-if-dependent');
  const out = root.querySelector('#what-if-out');
  form.elements.key.addEventListener('change', () => render(dep, scopeAndValue(defOf(form.elements.key.value))));
  dep.addEventListener('change', (e) => {
    if (e.target.name !== 'scope') return;
    const typed = form.elements.value.value;
    render(dep, scopeAndValue(defOf(form.elements.key.value), e.target.value));
    form.elements.value.value = typed;
    form.elements.scope.focus();
  });
  root.querySelector('#what-if-print').addEventListener('click', () => window.print());
  onSubmit(form, async (input) => {
    render(out, html`<p class="muted">正在测算…</p>`);
    try {
      const r = await call('benefit.what_if', input);
      render(out, whatIfResult(r, { ...input, label: defOf(input.key)?.label }));
    } catch (err) {
      render(out, '');
      throw err;
    }
  });
  form.elements.value.focus();
}
