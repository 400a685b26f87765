// 批量补贴 on the month page: 价格临时补贴 from the month's CPI and food price rises, typed in per
// cent (3.6 is 3.6 %; the server refuses 0.036 written for 3.6 %), or 一次性生活补贴 for 低保, 特困
// or both; recorded for the month shown, and the reply says what one person gets.

import { call } from '../../api.js';
import { html } from '../../lib/html.js';
import { field, onSubmit } from '../../lib/forms.js';

const KINDS = [{ code: 'price_subsidy', label: '价格临时补贴' }, { code: 'one_time', label: '一次性生活补贴' }];
const FOR = [{ code: 'all', label: '低保和特困' }, { code: 'dibao', label: '低保' }, { code: 'tekun', label: '特困' }];
const PER_PERSON = { dibao_urban: '城市低保', dibao_rural: '农村低保', tekun_urban: '城市特困', tekun_rural: '农村特困' };

/** What `payment.batch_grant` is sent: the rises for the price subsidy, `for` for the one-time. */
export function grantInput(month, input) {
  if (input.kind === 'price_subsidy') {
    return { month, kind: input.kind, cpi_rise: input.cpi_rise ?? '', food_rise: input.food_rise || null };
  }
  return { month, kind: input.kind, for: input.for };
}

/** The reply in words: what one person gets, by programme and area. */
export function perPersonText(r) {
  const each = Object.entries(PER_PERSON).map(([k, label]) => `${label} ${r.per_person[k] ?? '—'} 元`);
  return `已登记 ${r.month} ${r.label}，每人：${each.join('，')}`;
}

/** The form, hidden fields following the kind chosen. */
export function grantForm() {
  return html`<form id="payments-grant" class="panel no-print" novalidate>
    <div class="grid-fields">
      ${field({ name: 'kind', label: '批量补贴', type: 'select', options: KINDS, id: 'payments-grant-kind' })}
      ${field({ name: 'cpi_rise', label: 'CPI 同比涨幅（%）', id: 'payments-grant-cpi',
        hint: '按百分数填写：3.6 表示 3.6%，不要写成 0.036', attrs: html`inputmode="decimal"` })}
      ${field({ name: 'food_rise', label: '食品价格同比涨幅（%）', id: 'payments-grant-food',
        hint: '按百分数填写，可不填：6.2 表示 6.2%', attrs: html`inputmode="decimal"` })}
      ${field({ name: 'for', label: '发放对象', type: 'select', options: FOR, id: 'payments-grant-for' })}
    </div>
    <div class="form-error" role="alert"></div>
    <div class="form-actions"><button type="submit" id="payments-grant-save">登记批量补贴</button></div>
  </form>`;
}

/** Wire the form: `monthOf()` is the month shown, `say(text)` the page's banner. */
export function wireGrantForm(form, monthOf, say) {
  const sync = () => {
    const price = form.elements.kind.value === 'price_subsidy';
    form.elements.cpi_rise.closest('.field').hidden = !price;
    form.elements.food_rise.closest('.field').hidden = !price;
    form.elements.for.closest('.field').hidden = price;
  };
  form.elements.kind.addEventListener('change', sync);
  sync();
  onSubmit(form, async (input) => {
    const r = await call('payment.batch_grant', grantInput(monthOf(), input));
    say(perPersonText(r));
  });
}

