// 救助测算 on the household page: 资格初判 (benefit.classify) and the amount of one programme for
// a month (benefit.calculate), each shown with its trail. Nothing is stored; the result prints
// with the household page.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today, thisMonth, normalizeMonth } from '../../lib/forms.js';
import { label } from '../../lib/session.js';
import { trailTable, yuanText } from '../trail/trail.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./benefit-calc.css', import.meta.url));

const pick = (pairs) => pairs.map(([code, label]) => ({ code, label }));

/** The extra inputs a programme needs, by name (benefit.calculate's input names). */
const EXTRAS = {
  person_id: (people) => field({
    name: 'person_id', label: '对象', type: 'select', blank: '请选择', options: people, dtype: 'int',
    required: '请选择测算对象',
  }),
  setting: () => field({
    name: 'setting', label: '供养方式', type: 'select', value: 'home',
    options: pick([['home', '分散供养'], ['institution', '集中供养']]),
  }),
  kind: () => field({
    name: 'kind', label: '救助类型', type: 'select', value: 'emergency',
    options: pick([['emergency', '急难型'], ['expenditure', '支出型']]),
  }),
  basis: () => field({
    name: 'basis', label: '救助金额按', type: 'select', value: 'multiple', attrs: html`data-skip`,
    options: pick([['tier', '救助档次'], ['multiple', '月低保标准的倍数'], ['amount', '指定金额']]),
  }),
  category: () => field({
    name: 'category', label: '儿童类别', type: 'select', value: 'orphan_scattered',
    options: pick([['orphan_scattered', '孤儿（散居）'], ['orphan_institution', '孤儿（集中养育）'], ['unsupported', '事实无人抚养儿童']]),
  }),
  low_income: () => field({ name: 'low_income', label: '低保或低收入家庭', type: 'checkbox', value: true }),
  cpi_rise: () => field({
    name: 'cpi_rise', label: 'CPI 同比涨幅（%）', required: '请填写 CPI 同比涨幅', hint: '百分数，如 3.6 表示 3.6%（不要写成 0.036）',
    attrs: html`inputmode="decimal" class="ratio"`,
  }),
  food_rise: () => field({
    name: 'food_rise', label: '食品价格同比涨幅（%）', dtype: 'opt', hint: '百分数，可不填，如 6.2 表示 6.2%',
    attrs: html`inputmode="decimal" class="ratio"`,
  }),
  for: () => field({
    name: 'for', label: '对象类别', type: 'select', value: 'dibao',
    options: pick([['dibao', '低保对象'], ['tekun', '特困人员']]),
  }),
  current_amount: () => field({
    name: 'current_amount', label: '现发放金额（元/月）', required: '请填写现发放金额',
    attrs: html`inputmode="decimal" class="money"`,
  }),
  reason: () => field({
    name: 'reason', label: '退出原因', type: 'select', value: 'employment',
    options: pick([['employment', '就业后收入超过标准'], ['voluntary', '主动退出']]),
  }),
  months: () => field({
    name: 'months', label: '主动退出发放（月）', dtype: 'int', hint: '主动退出时填写',
    attrs: html`inputmode="numeric"`,
  }),
};

/** 临时救助's amount: a tier of the county's list, a multiple, or an amount typed. */
function tempBasis(basis, tiers) {
  if (basis === 'tier') {
    return field({
      name: 'tier', label: '档次', type: 'select', blank: tiers.length ? '请选择' : '（未设置救助档次）',
      options: tiers.map((t) => ({ code: t.code, label: `${t.label}（${t.multiple} 倍）` })), required: '请选择救助档次',
    });
  }
  if (basis === 'amount') {
    return field({ name: 'amount', label: '金额（元）', required: '请填写金额', attrs: html`inputmode="decimal" class="money"` });
  }
  return field({ name: 'multiple', label: '倍数', required: '请填写倍数', hint: '如 2 或 6', attrs: html`inputmode="decimal" class="ratio"` });
}

export const PROGRAMMES = [
  { code: 'dibao', label: '低保', extras: [] },
  { code: 'dibao_single', label: '单人保（单独纳入）', extras: ['person_id'] },
  { code: 'tekun', label: '特困人员救助供养', extras: ['setting'] },
  { code: 'temp_aid', label: '临时救助', extras: ['kind', 'basis'] },
  { code: 'orphan', label: '孤儿、事实无人抚养儿童基本生活费', extras: ['person_id', 'category'] },
  { code: 'disability_subsidy', label: '残疾人两项补贴', extras: ['person_id', 'low_income'] },
  { code: 'price_subsidy', label: '价格临时补贴', extras: ['cpi_rise', 'food_rise'] },
  { code: 'one_time', label: '一次性生活补贴', extras: ['for'] },
  { code: 'gradual_exit', label: '渐退期', extras: ['current_amount', 'reason', 'months'] },
];

const programme = (code) => PROGRAMMES.find((p) => p.code === code);

/** A benefit.calculate result: programme, month, the amount, and the trail under it. 渐退期 also
 *  has its months and total. */
export function calculation(r, { month, person } = {}) {
  const name = programme(r.programme)?.label || r.programme;
  const exit = r.months !== undefined && r.months !== null;
  return html`<div class="calc-result" id="calc-result">
    <h3>${name}${person ? html`（${person}）` : ''} · ${r.month || month} 测算金额：<span class="calc-amount" id="calc-amount">${yuanText(r.amount)}</span>${
      exit ? html`<span class="calc-exit">每月，共 ${r.months} 个月，合计 <span class="calc-amount">${yuanText(r.total)}</span></span>` : ''}</h3>
    ${trailTable(r.trail, { id: 'calc-trail' })}
  </div>`;
}

/** A benefit.classify result: the suggestion, its reasons and trail. */
export function classification(r, { date, person } = {}) {
  return html`<div class="calc-result" id="classify-result">
    <h3>资格初判（${r.date || date}）：<span class="calc-suggestion" id="classify-suggestion">${r.label}</span>${
      person ? html`<span class="muted">（${person}）</span>` : ''}</h3>
    ${r.reasons && r.reasons.length ? html`<ul class="calc-reasons">${r.reasons.map((t) => html`<li>${t}</li>`)}</ul>` : ''}
    ${trailTable(r.trail, { id: 'classify-trail' })}
  </div>`;
}

/** Draw the section into `el` (its heading included) for a household with these open members;
 *  `el` gets the class has-result once something is shown, so an empty section does not print. */
export function mountBenefitCalc(el, { householdId, members }) {
  const people = members.map((m) => ({ code: m.person_id, label: `${m.name}（${label('relations', m.relation)}）` }));
  const nameOf = (id) => members.find((m) => m.person_id === id)?.name;
  render(el, html`
    <h2>救助测算</h2>
    <form class="calc-form no-print" id="benefit-form" novalidate>
      ${field({ name: 'programme', label: '救助项目', type: 'select', value: 'dibao', options: PROGRAMMES, id: 'benefit-programme' })}
      ${field({ name: 'month', label: '月份', type: 'month', value: thisMonth(), required: '请填写测算月份', id: 'benefit-month' })}
      <div class="calc-extras" id="benefit-extras"></div>
      <div class="calc-buttons">
        <button type="submit" class="primary" id="benefit-calculate">测算</button>
        <button type="button" id="benefit-classify">资格初判</button>
      </div>
      <div class="form-error" role="alert"></div>
    </form>
    <p class="muted no-print calc-note">测算按所选月份有效的保障标准和本户已登记的成员、收入与财产计算，不保存任何数据。</p>
    <div id="benefit-results" aria-live="polite"><div id="classify-slot"></div><div id="calc-slot"></div></div>
  `);
  const form = el.querySelector('#benefit-form');
  const extras = el.querySelector('#benefit-extras');
  const show = (slot, fragment) => {
    render(el.querySelector(slot), fragment);
    el.classList.add('has-result');
  };
  const tiers = new Map(); // 临时救助 tiers in force on the month's first day, read when first needed
  const loadTiers = async () => {
    const month = normalizeMonth(form.elements.month.value) || thisMonth();
    if (!tiers.has(month)) {
      let list = [];
      try {
        const { rows } = await call('standard.list', { as_of: `${month}-01` });
        const row = rows.find((r) => r.key === 'temp.tiers' && r.in_force);
        list = row ? JSON.parse(row.value) : [];
      } catch { /* no tiers: the select says so */ }
      tiers.set(month, list);
    }
    return tiers.get(month);
  };
  const drawBasis = async () => {
    const box = extras.querySelector('#benefit-basis');
    if (!box) return;
    const basis = form.elements.basis.value;
    const list = basis === 'tier' ? (await loadTiers()).filter((t) => t.kind === form.elements.kind.value) : [];
    if (box.isConnected) render(box, tempBasis(basis, list));
  };
  const drawExtras = () => {
    const p = programme(form.elements.programme.value);
    render(extras, html`${p.extras.map((k) => EXTRAS[k](people))}${
      p.code === 'temp_aid' ? html`<div id="benefit-basis" class="calc-extras"></div>` : ''}`);
    drawBasis();
  };
  form.elements.programme.addEventListener('change', drawExtras);
  form.elements.month.addEventListener('change', () => form.elements.basis && form.elements.basis.value === 'tier' && drawBasis());
  extras.addEventListener('change', (e) => {
    if (e.target.name === 'basis' || e.target.name === 'kind') drawBasis();
  });
  drawExtras();
  onSubmit(form, async (input) => {
    const r = await call('benefit.calculate', { household_id: householdId, ...input });
    show('#calc-slot', calculation(r, { month: input.month, person: input.person_id ? nameOf(input.person_id) : null }));
  });
  const classifyButton = el.querySelector('#benefit-classify');
  classifyButton.addEventListener('click', async () => {
    const top = form.querySelector('.form-error');
    top.textContent = '';
    classifyButton.disabled = true;
    const date = today();
    try {
      const r = await call('benefit.classify', { household_id: householdId, date });
      const persons = (r.person_ids || []).map(nameOf).filter(Boolean).join('、');
      show('#classify-slot', classification(r, { date, person: persons }));
    } catch (err) {
      top.textContent = err.message;
    } finally {
      classifyButton.disabled = false;
    }
  });
}
