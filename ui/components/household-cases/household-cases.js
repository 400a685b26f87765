// The household page's 救助案件 section: the family's 低保/特困 cases, and for the township
// caseworker the button that registers a new application.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { session } from '../../lib/session.js';
import { openDialog } from '../dialog/dialog.js';
import { toast } from '../toast/toast.js';

const PROGRAMMES = [{ code: 'dibao', label: '最低生活保障（低保）' }, { code: 'tekun', label: '特困人员救助供养' }];
const SUPPORT_MODES = [{ code: 'dispersed', label: '分散供养' }, { code: 'centralised', label: '集中供养' }];

export async function mountHouseholdCases(el, { householdId }) {
  const mayApply = session.user && session.user.role === 'caseworker';
  let cases = [];
  try {
    cases = (await call('case.list', { household_id: householdId })).cases;
  } catch (err) {
    if (el.isConnected) render(el, html`<h2>救助案件</h2><p class="error">${err.message}</p>`);
    return;
  }
  if (!el.isConnected) return;
  render(el, html`<div class="section-head"><h2>救助案件</h2>
      ${mayApply ? html`<span class="no-print"><button type="button" id="case-apply">登记申请</button>
        <a class="button" id="temp-aid-apply" href="#/temp-aid/new?household=${householdId}">登记临时救助</a></span>` : ''}</div>
    ${cases.length ? html`<table class="grid" id="household-cases">
      <thead><tr><th>编号</th><th>项目</th><th>申请日期</th><th>状态</th><th>期限</th><th class="num">本月金额（元）</th></tr></thead>
      <tbody>${cases.map((c) => html`<tr>
        <td class="mono"><a href="#/cases/${c.id}">${c.number}</a></td><td>${c.programme_label}</td>
        <td>${c.applied_on}</td><td>${c.state_label}</td>
        <td class="${c.overdue ? 'error' : ''}">${c.deadline || ''}</td><td class="num">${c.current_amount || ''}</td>
      </tr>`)}</tbody></table>` : html`<p class="muted">没有低保、特困案件。</p>`}`);
  const btn = el.querySelector('#case-apply');
  if (btn) btn.addEventListener('click', () => apply(householdId));
}

async function apply(householdId) {
  const made = await openDialog({
    title: '登记低保 / 特困申请', submitLabel: '登记', wide: true,
    body: html`
      ${field({ name: 'programme', label: '申请项目', type: 'select', options: PROGRAMMES, value: 'dibao' })}
      ${field({ name: 'support_mode', label: '供养方式（特困）', type: 'select', options: SUPPORT_MODES, value: 'dispersed', attrs: html`disabled` })}
      ${field({ name: 'applied_on', label: '申请日期', type: 'date', value: today(), required: '请填写申请日期' })}
      ${field({ name: 'application_note', label: '申请事由', type: 'textarea', wide: true })}
    `,
    setup: (form) => {
      const sync = () => { form.elements.support_mode.disabled = form.elements.programme.value !== 'tekun'; };
      form.elements.programme.addEventListener('change', sync);
    },
    run: (input) => call('case.create', { household_id: householdId, ...input }),
  });
  if (made) {
    toast(`已登记申请 ${made.number}`);
    location.hash = `/cases/${made.id}`;
  }
}
