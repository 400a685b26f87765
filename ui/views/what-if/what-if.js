// 政策测算 (county approver, administrator): "what if this standard took this value from this
// date?" — the households whose 低保 amount would change in a month, old and new amounts, and the
// monthly and annual budget change (benefit.what_if). Nothing is stored; the table may also be
// written to an .xlsx file whose path the user types.

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

/** The changed households with the count and the budget change. The server lists at most a few
 *  hundred; the .xlsx has them all. */
export function whatIfResult(r, input) {
  const what = r.standard || input.label || input.key;
  const shown = r.households.length;
  return html`<div id="what-if-result">
    <h2>测算结果 <span class="muted">${what}自 ${input.effective_from} 起调整为 ${input.value}，${r.month || input.month} 月</span></h2>
    <dl class="facts what-if-summary">
      <div class="fact"><dt>金额变化的家庭</dt><dd id="what-if-count">${r.count} 户</dd></div>
      <div class="fact"><dt>每月变化</dt><dd class="money-text ${direction(r.monthly_change)}" id="what-if-monthly">${r.monthly_change} 元</dd></div>
      <div class="fact"><dt>全年变化</dt><dd class="money-text ${direction(r.annual_change)}" id="what-if-annual">${r.annual_change} 元</dd></div>
    </dl>
    ${r.failed ? html`<p class="banner warn" id="what-if-failed">另有 ${r.failed} 户因登记信息不全无法测算，未计入上述结果。</p>` : ''}
    ${r.xlsx ? html`<p class="banner ok" id="what-if-xlsx">表格已写入：<span class="mono">${r.xlsx}</span></p>` : ''}
    ${shown < r.count ? html`<p class="muted">下表列出前 ${shown} 户${r.xlsx ? '；全部家庭见导出的表格' : '；要看全部家庭，请导出 Excel'}。</p>` : ''}
    ${shown ? html`<table class="grid" id="what-if-table">
      <thead><tr><th>户主</th><th>乡镇（街道）</th><th>村（社区）</th><th class="num">原金额（元）</th><th class="num">新金额（元）</th><th class="num">变化（元）</th></tr></thead>
      <tbody>${r.households.map((h) => html`<tr>
        <td><a href="#/households/${h.household_id}">${h.head_name}</a></td>
        <td>${h.township_name ?? ''}</td>
        <td>${h.village_name}</td>
        <td class="num">${h.old}</td>
        <td class="num">${h.new}</td>
        <td class="num ${direction(h.change)}">${h.change}</td>
      </tr>`)}</tbody>
    </table>` : html`<p class="muted" id="what-if-none">按这个值，${r.month || input.month} 月没有家庭的低保金额发生变化。</p>`}
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
      <p class="muted no-print">假设某项保障标准自某日起调整为新值，测算某月低保金额发生变化的家庭及资金变化。只测算，不保存，也不改变现行标准。</p>
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
