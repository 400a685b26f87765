// The fields of one person (head, member, or a member in a dialog), named under a prefix such as
// 'head.' or 'members[2].', and the ID-number check that runs when the number loses focus.

import { call } from '../../api.js';
import { html } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { choices } from '../../lib/session.js';
import { SEX } from '../../lib/format.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./person-fields.css', import.meta.url));

const GRADES = [1, 2, 3, 4].map((g) => ({ code: g, label: ['一级', '二级', '三级', '四级'][g - 1] }));

/** Relations a non-head member may have. */
export function memberRelations() {
  return choices('relations').filter((c) => c.code !== 'head');
}

/**
 * Markup for a person's fields. `p` prefills (a member from household.get). `relation` adds the
 * relation select after the ID number: true for the non-head relations, or a list of choices.
 */
export function personFields(prefix, p = {}, { relation = false, autofocus = false } = {}) {
  const n = (k) => prefix + k;
  return html`
    ${field({ name: n('name'), label: '姓名', value: p.name, required: true, attrs: autofocus ? html`autofocus` : '' })}
    ${field({
      name: n('id_number'), label: '身份证号', value: p.id_number, required: true, hint: '',
      attrs: html`maxlength="18" inputmode="text" spellcheck="false" class="id-number" data-person-id="${p.person_id ?? ''}"`,
    })}
    ${relation
      ? field({
        name: n('relation'), label: '与户主关系', type: 'select', value: p.relation, blank: '请选择',
        options: Array.isArray(relation) ? relation : memberRelations(), required: '请选择与户主的关系',
      })
      : ''}
    ${field({ name: n('labour_capacity'), label: '劳动能力', type: 'select', value: p.labour_capacity, blank: '未评定（未满 16 岁按无，其余按有）', options: choices('labour_capacity'), dtype: 'opt' })}
    ${field({ name: n('self_care'), label: '自理能力', type: 'select', value: p.self_care || 'self', options: choices('self_care') })}
    ${field({ name: n('disability_type'), label: '残疾类别', type: 'select', value: p.disability_type, blank: '无残疾', options: choices('disability_types'), dtype: 'opt' })}
    ${field({ name: n('disability_grade'), label: '残疾等级', type: 'select', value: p.disability_grade, blank: '—', options: GRADES, dtype: 'int' })}
    ${field({ name: n('serious_illness'), label: '重病', value: p.serious_illness, dtype: 'opt', attrs: html`placeholder="无则不填"` })}
    ${field({ name: n('student'), label: '在读情况', type: 'select', value: p.student, blank: '非在读', options: choices('student'), dtype: 'opt' })}
    ${field({ name: n('employment'), label: '就业情况', type: 'select', value: p.employment, blank: '未填', options: choices('employment'), dtype: 'opt' })}
  `;
}

/** What id.check says, in one line. */
export function describeId(r) {
  return `出生日期 ${r.birth_date} · ${SEX[r.sex] || r.sex} · ${r.age} 岁`;
}

/** What to warn about a person already on the register, or ''. `selfId`: the person being edited. */
export function existingWarning(r, selfId) {
  const e = r.existing;
  if (!e || (selfId && String(e.person_id) === String(selfId))) return '';
  if (e.death_date) return `注意：${e.name} 已于 ${e.death_date} 登记死亡`;
  if (e.household_id) return `注意：此人已登记为 ${e.name}，现为户编号 ${e.household_id} 的在册成员，需先在原户迁出`;
  return `此人曾登记为 ${e.name}（目前不在任何家庭），保存后将沿用其档案`;
}

/** Check an ID number when its input loses focus; show birth date/sex/age, or the error. */
export function wireIdChecks(root) {
  root.addEventListener('focusout', async (e) => {
    const input = e.target;
    if (!input.classList || !input.classList.contains('id-number')) return;
    const wrap = input.closest('.field');
    const hint = wrap.querySelector('.field-hint');
    const error = wrap.querySelector('.field-error');
    const value = input.value.trim();
    hint.textContent = '';
    hint.classList.remove('warn');
    if (!value) return;
    try {
      const r = await call('id.check', { id_number: value });
      if (input.value.trim() !== value) return;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      const warn = existingWarning(r, input.dataset.personId);
      hint.textContent = describeId(r) + (warn ? `。${warn}` : '');
      hint.classList.toggle('warn', Boolean(warn));
    } catch (err) {
      if (input.value.trim() !== value) return;
      error.textContent = err.message;
      input.setAttribute('aria-invalid', 'true');
    }
  });
  root.addEventListener('input', (e) => {
    if (e.target.classList && e.target.classList.contains('id-number')) {
      const hint = e.target.closest('.field').querySelector('.field-hint');
      hint.textContent = '';
      hint.classList.remove('warn');
    }
  });
}
