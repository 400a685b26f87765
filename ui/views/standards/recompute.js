// 调标 on the 保障标准 page: choose the first month, preview every open 低保/特困 case whose amount
// changes (户主, 案件号, 原金额, 新金额, 变化, 原因; totals; the back pay of months already paid), submit
// the list with a reason; a pending batch shows to the other county approvers with 确认 / 取消
// (the server refuses the submitter's own confirmation). Amounts are the server's yuan strings,
// grouped by thousands as text, never as floats. Styles are in standards.css (the view's sheet).

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit } from '../../lib/forms.js';
import { session } from '../../lib/session.js';
import { confirmDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';

/** '1234567.50' → '1,234,567.50'; '-49.00' → '-49.00'; the text is never parsed as a number. */
export function grouped(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return '';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(yuan));
  if (!m) return String(yuan);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] || ''}`;
}

/** A change with its sign: '+49.00', '-71.00'. */
export function signed(yuan) {
  const t = grouped(yuan);
  return t.startsWith('-') ? t : `+${t}`;
}

/** The table of changed cases (a preview's `changes` or a batch's `items`). */
export function changesTable(rows, { outcome = false } = {}) {
  if (!rows.length) return html`<p class="muted">没有金额变化的案件。</p>`;
  return html`<table class="grid rc-table">
    <thead><tr><th>户主</th><th>案件号</th><th>乡镇（街道）</th><th>类别</th><th class="num">原金额（元）</th>
      <th class="num">新金额（元）</th><th class="num">变化（元）</th><th>原因</th>${outcome ? html`<th>结果</th>` : ''}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>
      <td>${r.head_name}</td><td class="mono nowrap"><a href="#/cases/${r.case_id}">${r.number}</a></td>
      <td>${r.township_name}</td><td class="nowrap">${r.programme_label}</td>
      <td class="num">${grouped(r.old)}</td><td class="num">${grouped(r.new)}</td>
      <td class="num ${String(r.change).startsWith('-') ? 'down' : 'up'}">${signed(r.change)}</td>
      <td>${r.reason}</td>${outcome ? html`<td>${r.outcome || '—'}</td>` : ''}</tr>`)}</tbody>
  </table>`;
}

/** A preview: its table, totals, the back pay by month and the warning. */
export function previewBody(p) {
  return html`
    <p class="rc-totals" id="recompute-totals">自 <strong>${p.from_month}</strong> 起：金额变化 <strong>${p.count}</strong> 户，
      每月合计变化 <strong>${signed(p.monthly_change)}</strong> 元；金额不变 ${p.unchanged} 户${
      p.skipped.length ? html`；未纳入 ${p.skipped.length} 户（见下）` : ''}。</p>
    ${p.warning ? html`<p class="banner warn" role="alert" id="recompute-warning">${p.warning}</p>` : ''}
    ${p.back_pay.length ? html`<table class="grid rc-back"><caption>已发放月份的补发</caption>
      <thead><tr><th>月份</th><th class="num">补发（元）</th></tr></thead>
      <tbody>${p.back_pay.map((m) => html`<tr><td class="mono">${m.month}</td><td class="num">${grouped(m.amount)}</td></tr>`)}</tbody>
      <tfoot><tr><th>合计</th><td class="num">${grouped(p.back_pay_total)}</td></tr></tfoot></table>` : ''}
    ${changesTable(p.changes)}
    ${p.skipped.length ? html`<details class="rc-skipped"><summary>未纳入调标的案件 ${p.skipped.length} 户</summary>
      <ul>${p.skipped.map((s) => html`<li><span class="mono">${s.number}</span> ${s.head_name}：${s.why}</li>`)}</ul></details>` : ''}`;
}

/** What the signed-in user may do with a pending batch: confirm (another approver), cancel. */
export function batchActions(b, user) {
  if (!user || b.state !== 'pending') return [];
  const out = [];
  if (user.role === 'approver' && user.id !== b.submitted_by_id) out.push('confirm');
  if (user.role === 'approver' || user.role === 'admin') out.push('cancel');
  return out;
}

function batchBody(b, user) {
  const acts = batchActions(b, user);
  return html`<div class="rc-batch" data-batch="${b.id}">
    <h3>调标批次 ${b.id}：自 ${b.from_month} 起 · ${b.state_label}</h3>
    <p>${b.submitted_by} 于 ${b.submitted_at} 提交，原因：${b.reason}。共 ${b.count} 户，每月合计变化 ${signed(b.monthly_change)} 元${
      b.back_pay !== '0.00' ? html`，补发 ${grouped(b.back_pay)} 元` : ''}。</p>
    ${b.state === 'pending' && !acts.includes('confirm') ? html`<p class="muted">须由提交人以外的另一位县级审批人确认后生效。</p>` : ''}
    ${changesTable(b.items, { outcome: b.state !== 'pending' })}
    ${acts.length ? html`<div class="form-actions">
      ${acts.includes('confirm') ? html`<button type="button" class="primary" data-rc="confirm">确认生效</button>` : ''}
      ${acts.includes('cancel') ? html`<button type="button" data-rc="cancel">取消批次</button>` : ''}</div>` : ''}
  </div>`;
}

/** Draw the 调标 panel into `box` (county approvers and administrators). */
export async function recomputePanel(box) {
  const user = session.user;
  const mayDecide = user && (user.role === 'approver' || user.role === 'admin');
  render(box, html`<section class="panel rc-panel no-print" id="recompute-panel" aria-labelledby="recompute-title">
    <h2 id="recompute-title">调标：按新标准重算在保案件金额</h2>
    <p class="muted">新标准生效后，按起始月份重算每个在保低保、特困案件的金额；提交后须由另一位县级审批人确认，确认后自该月起按新金额发放，已发放月份的差额由下次发放作为「调标补发」支付。</p>
    <div id="recompute-pending"></div>
    <form class="filterbar" id="recompute-form" novalidate>
      ${field({ name: 'from_month', label: '起始月份', type: 'month', required: '请填写起始月份', id: 'recompute-month' })}
      <button type="submit" class="primary" id="recompute-preview">预览</button>
      <div class="form-error" role="alert"></div>
    </form>
    <div id="recompute-result"></div>
  </section>`);
  const pendingBox = box.querySelector('#recompute-pending');
  const result = box.querySelector('#recompute-result');

  async function drawPending() {
    const { batches } = await call('recompute.list');
    const pending = batches.filter((b) => b.state === 'pending');
    render(pendingBox, pending.map((b) => batchBody(b, user)));
  }

  pendingBox.addEventListener('click', async (e) => {
    const btn = e.target.closest('button[data-rc]');
    if (!btn) return;
    const id = Number(btn.closest('[data-batch]').dataset.batch);
    const confirm = btn.dataset.rc === 'confirm';
    const ok = await confirmDialog(confirm ? '确认调标' : '取消调标',
      confirm ? `确认后，批次 ${id} 中各案件自起始月份起按新金额发放，并写入案件办理记录；此操作不能撤销。` : `取消批次 ${id}？取消后不会调整任何金额。`,
      confirm ? '确认生效' : '取消批次');
    if (!ok) return;
    try {
      const b = await call(confirm ? 'recompute.confirm' : 'recompute.cancel', { batch_id: id, note: '' });
      toast(confirm ? `调标批次 ${b.id} 已生效` : `调标批次 ${b.id} 已取消`);
      await drawPending();
      if (confirm) render(result, batchBody(b, user));
    } catch (err) {
      toast(err.message, 'error');
    }
  });

  onSubmit(box.querySelector('#recompute-form'), async ({ from_month }) => {
    const p = await call('recompute.preview', { from_month });
    render(result, html`${previewBody(p)}
      ${p.pending_batch_id ? html`<p class="banner warn">${p.from_month} 起已有待确认的调标批次 ${p.pending_batch_id}，请先确认或取消。</p>`
        : mayDecide && p.count ? html`<form class="rc-submit" id="recompute-submit-form" novalidate>
          ${field({ name: 'reason', label: '调标原因（如文件名称和文号）', required: '请写明调标原因', wide: true, id: 'recompute-reason' })}
          <input type="hidden" name="from_month" value="${p.from_month}">
          <button type="submit" class="primary" id="recompute-submit">提交，待另一位审批人确认</button>
          <div class="form-error" role="alert"></div></form>` : ''}`);
    const form = result.querySelector('#recompute-submit-form');
    if (!form) return;
    onSubmit(form, async (input) => {
      const b = await call('recompute.submit', input);
      toast(`已提交调标批次 ${b.id}（${b.count} 户），待另一位县级审批人确认`);
      render(result, '');
      await drawPending();
    });
    result.querySelector('#recompute-reason').focus();
  });

  await drawPending();
}
