// 待我处理: every case on which the signed-in user can take the step it is waiting for (for a
// member unit: each meeting waiting for its opinion, with the cases named), overdue first, then
// by deadline, filtered by kind and village. Periodic reviews (定期核查) with no change are ticked
// (or all selected) and recorded in one step; exceptions are opened one by one. Enter or a click
// opens the case or meeting.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { deadlineText, itemHref } from '../case-page/steps.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./work-queue.css', import.meta.url));

/** The findings recorded for every case of a batch unless the user writes others. */
export const NO_CHANGE = '经定期核查，家庭人口、收入和财产状况无变化，继续保障';

/** The filter kept while the user opens a case and comes back. */
let kept = { kind: '', village_id: '', reviews_only: false };

/** `work.queue`'s input from the filter's values: blanks left out, the village a number. */
export function queueInput({ kind = '', village_id = '', reviews_only = false } = {}) {
  const input = {};
  if (kind) input.kind = kind;
  if (village_id !== '' && village_id !== null && village_id !== undefined) input.village_id = Number(village_id);
  if (reviews_only) input.reviews_only = true;
  return input;
}

/** The selected periodic reviews as `case.review_batch` takes them, at the versions shown. */
export function batchCases(items, selected) {
  return items
    .filter((i) => i.kind === 'case' && i.batch_review && selected.has(i.id))
    .map((i) => ({ case_id: i.id, expected_version: i.version }));
}

/** A batch's outcome in words: how many were recorded, and each refused case with its reason. */
export function batchSummary(r) {
  const done = `已登记定期核查 ${r.reviewed.length} 件`;
  if (!r.refused.length) return { done, refused: [] };
  return {
    done: `${done}；${r.refused.length} 件未登记，请逐件打开办理`,
    refused: r.refused.map((x) => `${x.number ?? `案件 ${x.case_id}`}：${x.message}`),
  };
}

function filters(q, f) {
  return html`<form class="queue-filters no-print" id="queue-filters">
    <label>类别 <select name="kind" id="queue-kind">
      <option value="">全部（${q.total}）</option>
      ${q.kinds.map((k) => html`<option value="${k.value}" ${f.kind === k.value ? 'selected' : ''}>${k.label}（${k.count}）</option>`)}
    </select></label>
    <label>村（社区） <select name="village_id" id="queue-village">
      <option value="">全部</option>
      ${q.villages.map((v) => html`<option value="${v.value}" ${String(f.village_id) === v.value ? 'selected' : ''}>${v.label}（${v.count}）</option>`)}
    </select></label>
    <label class="check-inline"><input type="checkbox" name="reviews_only" id="queue-reviews-only" ${f.reviews_only ? 'checked' : ''}>
      只看定期核查（${q.batch_reviews}）</label>
  </form>`;
}

function table(q) {
  const reviews = q.items.filter((i) => i.batch_review);
  return html`${reviews.length ? html`<div class="queue-batch no-print">
      <label class="check-inline"><input type="checkbox" id="queue-select-all"> 全选定期核查（${reviews.length}）</label>
      <button type="button" class="primary" id="queue-batch-review" disabled>批量登记定期核查（无变化）</button>
      <span class="muted small">有变化的家庭请逐件打开办理。</span>
    </div>` : ''}
    <table class="grid clickable" id="work-queue">
      <thead><tr><th class="no-print"><span class="sr-only">选择</span></th><th>期限</th><th>类别</th><th>编号</th><th>户主</th><th>乡镇 / 村</th><th>状态</th><th>待办理</th></tr></thead>
      <tbody>${q.items.map((i) => html`<tr class="${i.overdue ? 'overdue' : ''}" data-href="${itemHref(i)}">
        <td class="no-print">${i.batch_review ? html`<input type="checkbox" class="queue-pick" value="${i.id}" aria-label="选择 ${i.number} ${i.head_name}">` : ''}</td>
        <td class="nowrap">${i.deadline ? html`${i.deadline}<div class="small ${i.overdue ? 'error' : 'muted'}">${deadlineText(i.deadline, q.today)}</div>` : html`<span class="muted">—</span>`}</td>
        <td class="nowrap">${i.kind_label}</td>
        <td class="mono nowrap"><a href="${itemHref(i)}">${i.number}</a></td>
        <td class="strong">${i.head_name || html`<span class="muted">${i.waiting_for}</span>`}</td>
        <td>${i.township_name} ${i.village_name}</td>
        <td class="nowrap">${i.state_label}</td>
        <td>${i.actions.join('、')}</td>
      </tr>`)}</tbody>
    </table>`;
}

async function reviewBatch(cases) {
  return openDialog({
    title: `批量登记定期核查：${cases.length} 件`,
    submitLabel: `登记 ${cases.length} 件`,
    wide: true,
    body: html`<p class="dialog-message">所选家庭经核查情况无变化的，每件各登记一条定期核查记录并计算下次核查日期。
      页面显示后已被他人办理的案件不会登记，将逐件列出原因。</p>
      ${field({ name: 'date', label: '核查日期', type: 'date', hint: '默认今天', id: 'batch-date' })}
      ${field({ name: 'findings', label: '核查情况', type: 'textarea', value: NO_CHANGE, wide: true, id: 'batch-findings' })}`,
    run: async (values) => call('case.review_batch', {
      cases, findings: values.findings, ...(values.date ? { date: values.date } : {}),
    }),
  });
}

export async function workQueue(root) {
  document.title = '待我处理 - 兜底';
  let q = await call('work.queue', queueInput(kept));
  // A filter kept from before that this user's queue no longer offers (another user signed in,
  // the last case of a village done) is dropped rather than shown as 全部 while filtering.
  const stale = (kept.kind && !q.kinds.some((k) => k.value === kept.kind)) ||
    (kept.village_id && !q.villages.some((v) => v.value === String(kept.village_id)));
  if (stale) {
    kept = { kind: '', village_id: '', reviews_only: kept.reviews_only };
    q = await call('work.queue', queueInput(kept));
  }
  const selected = new Set();
  render(root, html`<section class="page">
    <header class="page-head"><h1>待我处理</h1>
      <p class="muted">共 ${q.items.length} 件${q.items.length !== q.total ? `（全部 ${q.total} 件）` : ''}${q.overdue ? html`，<strong class="error">其中 ${q.overdue} 件已超期</strong>` : ''}。今天 ${q.today}。</p>
    </header>
    ${q.total ? filters(q, kept) : ''}
    <div id="queue-result" role="status"></div>
    ${q.items.length ? table(q) : html`<p class="banner ok" id="queue-empty">${q.total ? '没有符合筛选条件的待办案件。' : '没有等待您办理的案件。'}</p>`}
  </section>`);
  const form = root.querySelector('#queue-filters');
  if (form) {
    form.addEventListener('change', () => {
      kept = { kind: form.elements.kind.value, village_id: form.elements.village_id.value, reviews_only: form.elements.reviews_only.checked };
      workQueue(root);
    });
  }
  const button = root.querySelector('#queue-batch-review');
  const picks = [...root.querySelectorAll('.queue-pick')];
  const all = root.querySelector('#queue-select-all');
  const update = () => {
    if (!button) return;
    button.disabled = selected.size === 0;
    button.textContent = selected.size ? `批量登记定期核查（无变化）：${selected.size} 件` : '批量登记定期核查（无变化）';
    if (all) {
      all.checked = selected.size > 0 && selected.size === picks.length;
      all.indeterminate = selected.size > 0 && selected.size < picks.length;
    }
  };
  for (const p of picks) {
    p.addEventListener('change', () => {
      if (p.checked) selected.add(Number(p.value)); else selected.delete(Number(p.value));
      update();
    });
  }
  if (all) {
    all.addEventListener('change', () => {
      for (const p of picks) {
        p.checked = all.checked;
        if (all.checked) selected.add(Number(p.value)); else selected.delete(Number(p.value));
      }
      update();
    });
  }
  if (button) {
    button.addEventListener('click', async () => {
      const r = await reviewBatch(batchCases(q.items, selected));
      if (!r) return;
      const s = batchSummary(r);
      toast(s.done);
      await workQueue(root);
      render(root.querySelector('#queue-result'), html`<div class="banner ${s.refused.length ? 'warn' : 'ok'}" id="batch-result">
        <p>${s.done}</p>${s.refused.length ? html`<ul>${s.refused.map((x) => html`<li>${x}</li>`)}</ul>` : ''}</div>`);
    });
  }
  for (const tr of root.querySelectorAll('tr[data-href]')) {
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a, input, label')) return;
      location.hash = tr.dataset.href.slice(1);
    });
  }
}
