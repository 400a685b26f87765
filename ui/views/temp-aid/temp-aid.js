// 临时救助 list and new application. The list puts overdue cases first; 待我处理 shows only the
// cases this user can act on now. A caseworker registers an application for a household of
// their township, found by name, pinyin initials or ID number.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today } from '../../lib/forms.js';
import { session, ownTownship, areasAt } from '../../lib/session.js';
import { toast } from '../../components/toast/toast.js';
import { deadlineText } from './plan.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./temp-aid.css', import.meta.url));

let choicesCache = null;

/** Kinds, causes, states and step labels (temp_aid.choices), fetched once per sign-in. */
export async function tempChoices() {
  if (!choicesCache || choicesCache.user !== session.user?.id) {
    choicesCache = { user: session.user?.id, value: await call('temp_aid.choices') };
  }
  return choicesCache.value;
}

const canRegister = () => session.user && session.user.role === 'caseworker';

function deadlineCell(c) {
  if (!c.deadline) return html`<span class="muted">—</span>`;
  return html`<span class="${c.overdue ? 'overdue' : ''}">${deadlineText(c.deadline, c.overdue)}</span>`;
}

function casesTable(cases, mine) {
  if (!cases.length) {
    return html`<p class="muted" id="temp-aid-empty">${mine ? '没有等待您办理的临时救助案件。' : '没有符合条件的临时救助案件。'}</p>`;
  }
  if (mine) {
    return html`<table class="grid" id="temp-aid-cases">
      <thead><tr><th>案件编号</th><th>类型</th><th>户主</th><th>所在地</th><th>状态</th><th>可办理</th><th>办理期限</th></tr></thead>
      <tbody>${cases.map((c) => html`<tr class="${c.overdue ? 'is-overdue' : ''}">
        <td><a href="#/temp-aid/${c.id}">${c.number}</a></td><td>${c.kind_label}</td>
        <td class="strong">${c.head_name}</td><td>${c.township_name} ${c.village_name}</td>
        <td>${c.state_label}</td><td>${c.actions.join('、')}</td><td>${deadlineCell(c)}</td>
      </tr>`)}</tbody>
    </table>`;
  }
  return html`<table class="grid" id="temp-aid-cases">
    <thead><tr><th>案件编号</th><th>类型</th><th>事由</th><th>户主</th><th>所在地</th><th>申请日期</th>
      <th>状态</th><th class="num">先行救助</th><th class="num">审批金额</th><th>办理期限</th></tr></thead>
    <tbody>${cases.map((c) => html`<tr class="${c.overdue ? 'is-overdue' : ''}">
      <td><a href="#/temp-aid/${c.id}">${c.number}</a></td><td>${c.kind_label}</td><td>${c.cause_label}</td>
      <td class="strong">${c.head_name}</td><td>${c.township_name} ${c.village_name}</td><td>${c.applied_on}</td>
      <td>${c.state_label}</td><td class="num mono">${c.advance_amount ?? ''}</td>
      <td class="num mono">${c.approved_amount ?? ''}</td><td>${deadlineCell(c)}</td>
    </tr>`)}</tbody>
  </table>`;
}

export async function tempAidList(root, { query }) {
  const ch = await tempChoices();
  const mine = query.get('mine') === '1';
  const state = query.get('state') || '';
  const open = query.get('open') !== '0';
  const township = ownTownship() ? '' : query.get('township') || '';
  const input = mine ? { mine: true } : { open_only: open && !state, state: state || null,
    township_id: township ? Number(township) : null };
  const res = await call('temp_aid.list', input);
  document.title = '临时救助 - 兜底';
  const townships = areasAt('township');
  render(root, html`<section class="page" id="temp-aid-list">
    <div class="page-head">
      <h1>临时救助</h1>
      <div class="actions">
        ${canRegister() ? html`<a class="button primary" id="temp-aid-new" href="#/temp-aid/new">登记申请</a>` : ''}
        <button type="button" id="temp-aid-print">打印</button>
      </div>
    </div>
    <form class="filters no-print" id="temp-aid-filters">
      ${field({ name: 'mine', label: '显示', type: 'select', value: mine ? '1' : '0',
        options: [{ code: '0', label: '全部案件' }, { code: '1', label: '待我处理' }] })}
      ${field({ name: 'state', label: '状态', type: 'select', value: state, blank: '（未办结的）', options: ch.states })}
      ${ownTownship() ? '' : field({ name: 'township', label: '乡镇（街道）', type: 'select', value: township, blank: '（全县）',
        options: townships.map((t) => ({ code: t.id, label: t.name })) })}
      ${field({ name: 'open', label: '包括已办结', type: 'checkbox', value: !open })}
    </form>
    <p class="muted">共 ${res.count} 件；逾期的排在最前。</p>
    ${casesTable(res.cases, mine)}
  </section>`);
  const form = root.querySelector('#temp-aid-filters');
  form.addEventListener('change', () => {
    const q = new URLSearchParams();
    const get = (n) => form.elements.namedItem(n);
    if (get('mine').value === '1') q.set('mine', '1');
    if (get('state').value) q.set('state', get('state').value);
    if (get('township') && get('township').value) q.set('township', get('township').value);
    if (get('open').checked) q.set('open', '0');
    location.hash = '#/temp-aid' + (q.toString() ? '?' + q : '');
  });
  root.querySelector('#temp-aid-print').addEventListener('click', () => window.print());
}

/** The new-application form; `?household=ID` preselects a household. */
export async function tempAidNew(root, { query }) {
  const ch = await tempChoices();
  const preset = query.get('household');
  let picked = preset ? (await call('household.get', { id: Number(preset) })) : null;
  document.title = '登记临时救助申请 - 兜底';
  const head = (v) => v && v.members.find((m) => m.relation === 'head');
  render(root, html`<section class="page" id="temp-aid-new-page">
    <div class="page-head"><h1>登记临时救助申请</h1>
      <div class="actions"><a class="button" href="#/temp-aid">返回列表</a></div></div>
    <form id="temp-aid-search" class="filters">
      ${field({ name: 'q', label: '查找家庭（户主姓名、拼音首字母或身份证号）', wide: true,
        value: '', attrs: html`autofocus` })}
      <button type="submit">查找</button>
    </form>
    <div id="temp-aid-found"></div>
    <form id="temp-aid-form" novalidate>
      <input type="hidden" name="household_id" data-type="int" value="${picked ? picked.household.id : ''}">
      <p id="temp-aid-household" class="banner ${picked ? 'ok' : ''}">${picked
        ? html`申请家庭：<strong>${head(picked)?.name ?? '无户主'}</strong> 户（${picked.household.township_name} ${picked.household.village_name}）`
        : '请先查找并选择申请家庭'}</p>
      <div class="grid-fields">
        ${field({ name: 'kind', label: '救助类型', type: 'select', options: ch.kinds, required: true,
          hint: '急难型可先行救助，事后补齐手续；支出型按正常程序办理' })}
        ${field({ name: 'cause', label: '救助事由', type: 'select', options: ch.causes, blank: '请选择', required: '请选择救助事由' })}
        ${field({ name: 'applied_on', label: '申请日期', type: 'date', value: today(), required: '请填写申请日期' })}
        ${field({ name: 'requested_amount', label: '申请金额（元，可不填）', dtype: 'opt' })}
        ${field({ name: 'description', label: '申请事由说明', type: 'textarea', wide: true,
          required: '请填写申请事由说明（发生了什么、家庭困难情况）' })}
      </div>
      <div class="form-error" role="alert"></div>
      <div class="form-actions"><button type="submit" class="primary" id="temp-aid-submit">登记</button></div>
    </form>
  </section>`);
  const found = root.querySelector('#temp-aid-found');
  const form = root.querySelector('#temp-aid-form');
  const choose = async (id) => {
    picked = await call('household.get', { id });
    form.elements.household_id.value = String(id);
    const banner = root.querySelector('#temp-aid-household');
    banner.className = 'banner ok';
    render(banner, html`申请家庭：<strong>${head(picked)?.name ?? '无户主'}</strong> 户（${picked.household.township_name} ${picked.household.village_name}）`);
    render(found, '');
    form.elements.kind.focus();
  };
  onSubmit(root.querySelector('#temp-aid-search'), async ({ q }) => {
    const res = await call('household.search', { q, page_size: 20 });
    render(found, res.items.length
      ? html`<table class="grid" id="temp-aid-found-table"><thead><tr><th>户主</th><th>身份证号</th><th>所在地</th><th>家庭成员</th><th></th></tr></thead>
        <tbody>${res.items.map((h) => html`<tr><td class="strong">${h.head_name}</td><td class="mono">${h.head_id_number}</td>
          <td>${h.township_name} ${h.village_name}</td><td>${h.member_names.join('、')}</td>
          <td><button type="button" data-pick="${h.id}">选择</button></td></tr>`)}</tbody></table>`
      : html`<p class="muted">没有找到，请换个写法再试。</p>`);
    found.querySelector('[data-pick]')?.focus();
  });
  found.addEventListener('click', (e) => {
    const id = e.target.dataset && e.target.dataset.pick;
    if (id) choose(Number(id));
  });
  onSubmit(form, async (input) => {
    if (!input.household_id) throw { field: 'q', message: '请先查找并选择申请家庭' };
    const v = await call('temp_aid.create', input);
    toast(`已登记 ${v.number}`);
    if (v.warning) toast(v.warning, 'error');
    location.hash = `#/temp-aid/${v.id}`;
  });
}
