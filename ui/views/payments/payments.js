// 月度发放 (county approver, administrator): choose a month, run it, see the totals by township and
// programme and the differences from last month (each with its reason), review them, lock the
// month, write the 发放花名册 to a path the user types (xlsx, or CSV for older bank systems) and
// import the bank's return file; record the month's 批量补贴 (grant.js). Money stays in the server's yuan strings.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, thisMonth } from '../../lib/forms.js';
import { mayOpen } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';
import { grantForm, wireGrantForm } from './grant.js';

loadStyle(new URL('./payments.css', import.meta.url));

/** Where a file for `month` goes by default: the user's documents folder as typed once before. */
export function defaultPath(folder, month, ext) {
  const dir = String(folder || '').replace(/[\\/]+$/, '');
  const name = ext === 'xlsx' || ext === 'csv' ? `发放花名册-${month}.${ext}` : `银行回盘-${month}.csv`;
  return dir ? `${dir}/${name}` : name;
}

/** What the month page offers next, from the run's state. */
export function nextSteps(r) {
  if (!r.run) return ['run'];
  if (r.run.state === 'locked') return r.run.roster_at ? ['roster', 'bank_return'] : ['roster'];
  return r.unreviewed > 0 ? ['run', 'review'] : ['run', 'lock'];
}

/** Held back pay: a second approver (not the case's approver, not the one who ran the month)
 *  confirms it with a reason (payment.confirm_back_pay). */
export function confirmForm(d) {
  return html`<form class="payments-confirm no-print" data-case-id="${d.case_id}" novalidate>
    <input name="reason" aria-label="补发原因" placeholder="补发原因（必填）" autocomplete="off">
    <button type="submit">确认补发</button>
    <span class="muted">须由审批人、发放人以外的另一人确认</span>
  </form>`;
}

/** Payees whose bank account cannot be paid, by township, with why. */
function accountTable(id, title, lines) {
  if (!lines || !lines.length) return '';
  return html`<h2>${title}</h2>
    <table class="grid accounts" id="${id}"><thead><tr><th>乡镇（街道）</th><th>户主</th><th>收款人</th><th>开户银行</th><th>账号</th><th class="num">笔数</th><th class="num">金额（元）</th><th>原因</th></tr></thead>
      <tbody>${lines.map((a) => html`<tr class="attention"><td>${a.township_name}</td><td><a href="#/households/${a.household_id}">${a.head_name}</a></td>
        <td>${a.payee_name}</td><td>${a.bank_name}</td><td class="mono">${a.bank_account}</td><td class="num">${a.payments}</td><td class="num">${a.amount}</td><td>${a.why}</td></tr>`)}</tbody>
    </table>`;
}

/** The month's totals and differences. */
export function monthSummary(r) {
  const steps = nextSteps(r);
  return html`<div id="payments-summary">
    <dl class="facts">
      <div class="fact"><dt>状态</dt><dd id="payments-state">${r.run ? r.run.state_label : '尚未发放'}</dd></div>
      <div class="fact"><dt>合计</dt><dd class="money-text" id="payments-total">${r.total} 元</dd></div>
      <div class="fact"><dt>笔数 / 户数</dt><dd>${r.payments} 笔 / ${r.households} 户</dd></div>
      <div class="fact"><dt>未审核变化</dt><dd id="payments-unreviewed">${r.unreviewed} 条</dd></div>
    </dl>
    ${r.totals.length ? html`<h2>按乡镇和救助类别</h2>
    <table class="grid" id="payments-totals">
      <thead><tr><th>乡镇（街道）</th><th>救助类别</th><th class="num">笔数</th><th class="num">户数</th><th class="num">保障人数</th><th class="num">金额（元）</th></tr></thead>
      <tbody>${r.totals.map((t) => html`<tr><td>${t.township_name}</td><td>${t.programme_label}</td>
        <td class="num">${t.payments}</td><td class="num">${t.households}</td><td class="num">${t.persons}</td><td class="num">${t.amount}</td></tr>`)}</tbody>
    </table>
    <p class="muted">${r.kinds.map((k) => `${k.label} ${k.payments} 笔 ${k.amount} 元`).join('；')}</p>
    ${heldNote(r)}` : ''}
    <h2>与上月相比的变化</h2>
    ${r.differences.length ? html`<table class="grid" id="payments-differences">
      <thead><tr><th>变化</th><th>户主</th><th>低保证号</th><th>乡镇（街道）</th><th class="num">上月（元）</th><th class="num">本月（元）</th><th>原因</th><th>审核</th></tr></thead>
      <tbody>${r.differences.map((d) => html`<tr class="${d.reviewed ? '' : 'attention'}">
        <td>${d.label}</td><td><a href="#/households/${d.household_id}">${d.head_name}</a></td><td class="mono">${d.certificate ?? ''}</td>
        <td>${d.township_name}</td><td class="num">${d.old}</td><td class="num">${d.new}</td><td>${d.reason}</td>
        <td>${d.reviewed ? `${d.reviewer ?? ''} 已审核` : '未审核'}${d.awaiting_confirmation ? confirmForm(d) : ''}</td></tr>`)}</tbody>
    </table>` : html`<p class="muted" id="payments-no-differences">没有变化。</p>`}
    ${r.failed.length ? html`<h2>发放失败（下月重发）</h2>
    <table class="grid" id="payments-failed"><thead><tr><th>收款人</th><th>账号</th><th class="num">金额（元）</th><th>类别</th><th>原因</th></tr></thead>
      <tbody>${r.failed.map((f) => html`<tr><td>${f.payee_name}</td><td class="mono">${f.bank_account}</td><td class="num">${f.amount}</td><td>${f.kind_label}</td><td>${f.reason ?? ''}</td></tr>`)}</tbody>
    </table>` : ''}
    ${accountTable('payments-invalid-accounts', '银行账号无效的收款人（补正账号并重新执行发放后再锁定）', r.invalid_accounts)}
    ${accountTable('payments-held', '暂缓发放（账号无效，未列入花名册；补正后由以后月份重发）', r.held)}
    <p class="muted no-print" id="payments-next">${steps.includes('lock') && (r.invalid_accounts ?? []).length ? `有 ${r.invalid_accounts.length} 户收款人的银行账号无效：县里设为不予锁定时，请先补正。` : steps.includes('lock') ? '变化均已审核，可以锁定本月发放。' : steps.includes('review') ? '请核对每条变化的原因后审核，再锁定。' : ''}</p>
  </div>`;
}

/** The payments held at the lock (暂缓发放): a status of their own, left out of the totals. */
export function heldNote(r) {
  const held = (r.statuses ?? []).find((x) => x.status === 'held');
  return held ? html`<p class="muted" id="payments-held-total">另有${held.label} ${held.payments} 笔 ${held.amount} 元，未计入合计（见下方暂缓发放名单）</p>` : '';
}

export async function paymentsView(root) {
  if (!mayOpen(root, '月度发放', 'payments')) return;
  let month = thisMonth();
  let folder = localStorage.getItem('doudi.documents') || '';
  render(root, html`
    <section class="page payments">
      <div class="page-head"><h1>月度发放</h1>
        <div class="actions"><button type="button" id="payments-print">打印</button></div></div>
      <form id="payments-month" class="panel no-print" novalidate>
        <div class="grid-fields">
          ${field({ name: 'month', label: '发放月份', type: 'month', value: month, required: '请填写发放月份', id: 'payments-month-input' })}
        </div>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" id="payments-show">查看</button>
          <button type="button" class="primary" id="payments-run">执行发放</button>
          <button type="button" id="payments-review">审核全部变化</button>
          <button type="button" id="payments-lock">锁定本月</button>
        </div>
      </form>
      <form id="payments-files" class="panel no-print" novalidate>
        <div class="grid-fields">
          ${field({ name: 'path', label: '花名册文件路径', wide: true, id: 'payments-roster-path', required: '请填写文件路径',
            hint: '本机上的完整路径，以 .xlsx 或 .csv 结尾（CSV 为 GB18030 编码）', attrs: html`spellcheck="false" class="mono"` })}
          ${field({ name: 'return_path', label: '银行回盘文件路径', wide: true, id: 'payments-return-path',
            hint: '银行返回的 .xlsx 或 .csv：银行账号、户名、金额、结果（成功/失败）、失败原因', attrs: html`spellcheck="false" class="mono"` })}
        </div>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" id="payments-roster">导出花名册</button>
          <button type="button" id="payments-import">导入银行回盘</button>
        </div>
      </form>
      ${grantForm()}
      <div id="payments-banner" aria-live="polite"></div>
      <div id="payments-out"></div>
    </section>`);
  const form = root.querySelector('#payments-month');
  const files = root.querySelector('#payments-files');
  const out = root.querySelector('#payments-out');
  const banner = root.querySelector('#payments-banner');
  const say = (text) => render(banner, text ? html`<p class="banner ok">${text}</p>` : '');
  const show = (r) => {
    month = r.month;
    render(out, monthSummary(r));
    const steps = nextSteps(r);
    root.querySelector('#payments-run').hidden = !steps.includes('run');
    root.querySelector('#payments-review').hidden = !steps.includes('review');
    root.querySelector('#payments-lock').hidden = !steps.includes('lock');
    files.hidden = !steps.includes('roster');
    root.querySelector('#payments-import').hidden = !steps.includes('bank_return');
    if (!files.elements.path.value) files.elements.path.value = defaultPath(folder, month, 'xlsx');
    if (!files.elements.return_path.value) files.elements.return_path.value = defaultPath(folder, month, 'return');
  };
  const act = async (name, extra = {}) => {
    try {
      const r = await call(name, { month: form.elements.month.value.trim(), ...extra });
      show(r);
      return r;
    } catch (err) {
      render(banner, html`<p class="error">${err.message}</p>`);
      return null;
    }
  };
  onSubmit(form, async (input) => { say(''); show(await call('payment.get', input)); });
  root.querySelector('#payments-run').addEventListener('click', async () => {
    const r = await act('payment.run');
    if (r) say(`已发放：新增 ${r.added} 笔，${r.added_amount} 元；新增变化 ${r.added_differences} 条`);
  });
  root.querySelector('#payments-review').addEventListener('click', async () => {
    const r = await act('payment.review');
    if (r) say(`已审核 ${r.reviewed} 条变化`);
  });
  root.querySelector('#payments-lock').addEventListener('click', async () => {
    if (await act('payment.lock')) say('本月发放已锁定，锁定后不能再改动；更正请在以后月份登记调整');
  });
  onSubmit(files, async (input) => {
    const r = await call('payment.roster', { month, path: input.path });
    folder = input.path.replace(/[\\/][^\\/]*$/, '');
    localStorage.setItem('doudi.documents', folder);
    say(`花名册已写入：${r.path}（${r.rows} 笔，合计 ${r.total} 元）`);
    show(await call('payment.get', { month }));
  });
  root.querySelector('#payments-import').addEventListener('click', async () => {
    const r = await act('payment.bank_return', { path: files.elements.return_path.value.trim() });
    if (r) say(`银行回盘已登记：成功 ${r.imported.paid} 笔，失败 ${r.imported.failed} 笔（失败的下月重发）`);
  });
  out.addEventListener('submit', async (e) => {
    const f = e.target.closest('.payments-confirm');
    if (!f) return;
    e.preventDefault();
    const reason = f.elements.reason.value.trim();
    if (!reason) {
      render(banner, html`<p class="error">请写明补发原因</p>`);
      return f.elements.reason.focus();
    }
    const r = await act('payment.confirm_back_pay', { case_id: Number(f.dataset.caseId), reason });
    if (r) say(`已确认补发 ${r.months.length} 个月：${r.paid_in_run ? `已计入本月发放，${r.paid_amount} 元` : '下月发放时补发'}`);
  });
  wireGrantForm(root.querySelector('#payments-grant'), () => form.elements.month.value.trim() || month, say);
  root.querySelector('#payments-print').addEventListener('click', () => window.print());
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape') say(''); });
  show(await call('payment.get', { month }));
  form.elements.month.focus();
}
