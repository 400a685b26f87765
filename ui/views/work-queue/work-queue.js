// 待我处理: every case on which the signed-in user can take the step it is waiting for (for a
// member unit: each meeting waiting for its opinion, with the cases named), overdue first, then
// by deadline. Enter or a click opens the case or meeting.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { deadlineText, itemHref } from '../case-page/steps.js';

export async function workQueue(root) {
  document.title = '待我处理 - 兜底';
  const q = await call('work.queue');
  render(root, html`<section class="page">
    <header class="page-head"><h1>待我处理</h1>
      <p class="muted">共 ${q.items.length} 件${q.overdue ? html`，<strong class="error">其中 ${q.overdue} 件已超期</strong>` : ''}。今天 ${q.today}。</p>
    </header>
    ${q.items.length ? html`<table class="grid clickable" id="work-queue">
      <thead><tr><th>期限</th><th>类别</th><th>编号</th><th>户主</th><th>乡镇 / 村</th><th>状态</th><th>待办理</th></tr></thead>
      <tbody>${q.items.map((i) => html`<tr class="${i.overdue ? 'overdue' : ''}" data-href="${itemHref(i)}">
        <td class="nowrap">${i.deadline ? html`${i.deadline}<div class="small ${i.overdue ? 'error' : 'muted'}">${deadlineText(i.deadline, q.today)}</div>` : html`<span class="muted">—</span>`}</td>
        <td class="nowrap">${i.kind_label}</td>
        <td class="mono nowrap"><a href="${itemHref(i)}">${i.number}</a></td>
        <td class="strong">${i.head_name || html`<span class="muted">${i.waiting_for}</span>`}</td>
        <td>${i.township_name} ${i.village_name}</td>
        <td class="nowrap">${i.state_label}</td>
        <td>${i.actions.join('、')}</td>
      </tr>`)}</tbody>
    </table>` : html`<p class="banner ok" id="queue-empty">没有等待您办理的案件。</p>`}
  </section>`);
  for (const tr of root.querySelectorAll('tr[data-href]')) {
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      location.hash = tr.dataset.href.slice(1);
    });
  }
}
