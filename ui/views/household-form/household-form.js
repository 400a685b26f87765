// 新增家庭 (household fields, head, optional extra members) and 编辑家庭信息. A refused save shows
// the server's message beside the input its `field` names; ID numbers are checked on blur.

import { call } from '../../api.js';
import { html, render, element } from '../../lib/html.js';
import { field, onSubmit } from '../../lib/forms.js';
import { session, ownTownship, areasAt, area, choices, mayOpen } from '../../lib/session.js';
import { personFields, wireIdChecks } from '../../components/person-fields/person-fields.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./household-form.css', import.meta.url));

function areaOptions(list) {
  return list.map((a) => ({ code: a.id, label: a.active ? a.name : `${a.name}（已停用）` }));
}

/** The household's own fields, prefilled from `h` (household.get's household, or {}). */
function householdFields(h, { isNew }) {
  const own = ownTownship();
  const village = h.village_id ? area(h.village_id) : null;
  const townshipId = own || (village ? village.parent_id : '');
  const villages = townshipId ? areasAt('village', Number(townshipId)) : [];
  const groups = h.village_id ? areasAt('group', h.village_id) : [];
  return html`
    ${own ? '' : field({
      name: 'township', label: '乡镇（街道）', type: 'select', value: townshipId, blank: '请选择',
      options: areaOptions(areasAt('township')), id: 'household-township-select', attrs: html`data-skip`,
    })}
    ${field({
      name: 'village_id', label: '村（社区）', type: 'select', value: h.village_id, blank: '请选择',
      options: areaOptions(villages), dtype: 'int', empty: 0, required: '请选择所在村（社区）',
    })}
    ${field({ name: 'group_id', label: '组', type: 'select', value: h.group_id, blank: '不分组', options: areaOptions(groups), dtype: 'int' })}
    ${field({ name: 'hukou', label: '户籍类别', type: 'select', value: h.hukou, blank: '请选择', options: choices('hukou'), required: '请选择户籍类别（城镇或农村）' })}
    ${field({ name: 'address', label: '家庭住址', value: h.address, required: '请填写家庭住址', wide: true, attrs: html`maxlength="100"` })}
    ${field({ name: 'phone', label: '联系电话', value: h.phone, dtype: 'opt', attrs: html`inputmode="tel" placeholder="手机或固话，如 0371-12345678"` })}
    ${field({ name: 'bank_name', label: '开户银行', value: h.bank_name, dtype: 'opt', attrs: html`placeholder="如 农村信用社"` })}
    ${field({ name: 'bank_account', label: '银行账号', value: h.bank_account, dtype: 'opt', attrs: html`inputmode="numeric" class="mono"` })}
    ${isNew ? field({ name: 'joined_on', label: '入户日期', type: 'date', hint: '不填则为今天' }) : ''}
  `;
}

/** Refill the village and group selects when the township or village changes. */
function wireAreaSelects(form) {
  const township = form.querySelector('#household-township-select');
  const village = form.elements.village_id;
  const group = form.elements.group_id;
  const fill = (select, blank, list) => render(select, html`<option value="">${blank}</option>${
    list.map((a) => html`<option value="${a.id}">${a.name}${a.active ? '' : '（已停用）'}</option>`)}`);
  township?.addEventListener('change', () => {
    fill(village, '请选择', township.value ? areasAt('village', Number(township.value)) : []);
    fill(group, '不分组', []);
  });
  village.addEventListener('change', () => {
    const v = village.value ? area(Number(village.value)) : null;
    fill(group, '不分组', v ? areasAt('group', v.id) : []);
    const hukou = form.elements.hukou;
    if (v && !hukou.value && v.urban_rural) hukou.value = v.urban_rural;
  });
}

function memberBlock(i) {
  return element(html`<fieldset class="panel member-block" data-member>
    <legend>成员 <span class="member-no">${i + 1}</span></legend>
    <div class="grid-fields">${personFields(`members[${i}].`, {}, { relation: true })}</div>
    <button type="button" class="link danger member-remove">删除此成员</button>
  </fieldset>`);
}

/** After a member is removed, members[k] must count 0, 1, 2… again. */
function renumber(list) {
  [...list.querySelectorAll('[data-member]')].forEach((block, i) => {
    block.querySelector('.member-no').textContent = String(i + 1);
    for (const el of block.querySelectorAll('[name], [data-for]')) {
      if (el.name) el.name = el.name.replace(/^members\[\d+\]/, `members[${i}]`);
      if (el.dataset.for) el.dataset.for = el.dataset.for.replace(/^members\[\d+\]/, `members[${i}]`);
    }
  });
}

export async function householdNew(root) {
  if (!mayOpen(root, '新增家庭', 'writeRegistry', '您的角色不能登记家庭。')) return;
  render(root, html`
    <section class="page household-form">
      <div class="page-head"><h1>新增家庭</h1><a href="${session.lastList}" class="back">返回家庭列表</a></div>
      <form id="household-form" novalidate>
        <fieldset class="panel"><legend>家庭信息</legend>
          <div class="grid-fields">${householdFields({}, { isNew: true })}</div>
        </fieldset>
        <fieldset class="panel"><legend>户主</legend>
          <div class="grid-fields">${personFields('head.')}</div>
        </fieldset>
        <div id="form-members"></div>
        <p><button type="button" id="member-add-row">＋ 增加一名家庭成员</button>
          <span class="muted">户主以外的共同生活成员；也可以以后在家庭页面增加。</span></p>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" class="primary" id="household-submit">保存</button>
          <a href="${session.lastList}" class="button">取消</a>
        </div>
      </form>
    </section>
  `);
  const form = root.querySelector('form');
  const list = root.querySelector('#form-members');
  wireAreaSelects(form);
  wireIdChecks(form);
  root.querySelector('#member-add-row').addEventListener('click', () => {
    const block = memberBlock(list.children.length);
    list.append(block);
    block.querySelector('input').focus();
  });
  list.addEventListener('click', (e) => {
    if (!e.target.classList.contains('member-remove')) return;
    e.target.closest('[data-member]').remove();
    renumber(list);
    root.querySelector('#member-add-row').focus();
  });
  onSubmit(form, async (input) => {
    input.members = input.members || [];
    const r = await call('household.create', input);
    toast('家庭已登记');
    location.hash = `#/households/${r.household.id}`;
  });
  (form.querySelector('#household-township-select') || form.elements.village_id).focus();
}

export async function householdEdit(root, { params }) {
  document.title = '编辑家庭信息 - 兜底';
  const id = Number(params.id);
  const view = await call('household.get', { id });
  const h = view.household;
  const head = view.members.find((m) => m.relation === 'head');
  render(root, html`
    <section class="page household-form">
      <div class="page-head">
        <h1>编辑家庭信息 <span class="muted">户编号 ${h.id}${head ? html` · 户主 ${head.name}` : ''}</span></h1>
        <a href="#/households/${h.id}" class="back">返回家庭</a>
      </div>
      <form id="household-form" novalidate>
        <fieldset class="panel"><legend>家庭信息</legend>
          <div class="grid-fields">${householdFields(h, { isNew: false })}</div>
        </fieldset>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" class="primary" id="household-submit">保存</button>
          <a href="#/households/${h.id}" class="button">取消</a>
        </div>
      </form>
    </section>
  `);
  const form = root.querySelector('form');
  wireAreaSelects(form);
  onSubmit(form, async (input) => {
    await call('household.update', { id, ...input });
    toast('家庭信息已保存');
    location.hash = `#/households/${id}`;
  });
  (form.querySelector('#household-township-select') || form.elements.village_id).focus();
}
