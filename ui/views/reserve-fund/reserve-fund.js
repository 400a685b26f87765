// 乡镇备用金: what is left in each township's reserve fund for 先行救助, one township's ledger
// (top-ups, advances with their cases, refunds, adjustments), and for the county the forms to
// record a top-up or a refund/adjustment. Township staff see their own township only.

import { call } from '../../api.js';
import { yuan } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./reserve-fund.css', import.meta.url));

function balances(res) {
  return html`<table class="grid" id="reserve-balances">
    <thead><tr><th>乡镇（街道）</th><th class="num">余额（元）</th><th class="num">记录数</th><th>最近变动</th><th></th></tr></thead>
    <tbody>${res.townships.map((t) => html`<tr class="${t.township_id === res.township_id ? 'selected' : ''}" data-township="${t.township_id}">
      <td class="strong">${t.township_name}</td><td class="num mono">${yuan(t.balance)}</td><td class="num">${t.entries}</td>
      <td>${t.last_entry_on ?? ''}</td>
      <td class="no-print"><a href="#/reserve-fund?township=${t.township_id}">查看明细</a></td>
    </tr>`)}</tbody>
    ${res.townships.length > 1 ? html`<tfoot><tr><td>全县合计</td><td class="num mono">${res.total}</td><td colspan="3"></td></tr></tfoot>` : ''}
  </table>`;
}

function entries(res, name) {
  if (!res.township_id) return html`<p class="muted">选择一个乡镇（街道）查看备用金明细。</p>`;
  if (!res.entries.length) return html`<p class="muted" id="reserve-entries">${name}备用金还没有记录。</p>`;
  return html`<table class="grid" id="reserve-entries">
    <thead><tr><th>日期</th><th>类别</th><th class="num">金额（元）</th><th>凭证号/案件</th><th>说明</th><th>登记人</th><th>登记时间</th></tr></thead>
    <tbody>${res.entries.map((e) => html`<tr>
      <td>${e.entry_on}</td><td>${e.kind_label}</td>
      <td class="num mono ${e.amount.startsWith('-') ? 'error' : ''}">${yuan(e.amount)}</td>
      <td>${e.case_id ? html`<a href="#/temp-aid/${e.case_id}">${e.case_number}</a>` : e.reference}</td>
      <td>${e.note}</td><td>${e.recorded_by_name}</td><td class="nowrap">${e.recorded_at}</td>
    </tr>`)}</tbody>
  </table>`;
}

export async function reserveFundView(root, { query }) {
  const asked = query.get('township');
  const res = await call('reserve_fund.get', asked ? { township_id: Number(asked) } : {});
  const options = res.townships.map((t) => ({ code: t.township_id, label: `${t.township_name}（余额 ${yuan(t.balance)} 元）` }));
  const current = res.townships.find((t) => t.township_id === res.township_id);
  document.title = '乡镇备用金 - 兜底';
  render(root, html`<section class="page" id="reserve-fund">
    <div class="page-head">
      <h1>乡镇备用金</h1>
      <div class="actions">
        ${res.can_top_up ? html`<button type="button" class="primary" id="reserve-top-up">登记拨付</button>
          <button type="button" id="reserve-adjust">登记退回或调整</button>` : ''}
        <button type="button" id="reserve-print">打印</button>
      </div>
    </div>
    <p class="muted">备用金用于急难型临时救助的先行救助；余额不会小于零，每笔变动都有记录。</p>
    ${balances(res)}
    <h2>${current ? `${current.township_name}明细` : '明细'}</h2>
    ${entries(res, current ? current.township_name : '')}
  </section>`);
  root.querySelector('#reserve-print').addEventListener('click', () => window.print());
  const reload = (townshipId) => {
    const target = `#/reserve-fund?township=${townshipId}`;
    if (location.hash === target) reserveFundView(root, { query: new URLSearchParams(`township=${townshipId}`) });
    else location.hash = target;
  };
  root.querySelector('#reserve-top-up')?.addEventListener('click', async () => {
    const done = await openDialog({
      title: '登记备用金拨付',
      submitLabel: '登记',
      body: html`<div class="grid-fields one">
        ${field({ name: 'township_id', label: '乡镇（街道）', type: 'select', dtype: 'int', options, value: res.township_id ?? '' })}
        ${field({ name: 'amount', label: '拨付金额（元）', required: '请填写拨付金额' })}
        ${field({ name: 'entry_on', label: '到账日期', type: 'date', value: today(), dtype: 'date' })}
        ${field({ name: 'reference', label: '凭证号或文号', required: '请填写拨付凭证号或文号' })}
        ${field({ name: 'note', label: '说明', dtype: 'opt' })}
      </div>`,
      run: (input) => call('reserve_fund.top_up', input),
    });
    if (done) {
      toast(`已登记拨付，余额 ${yuan(done.balance)} 元`);
      reload(done.township_id);
    }
  });
  root.querySelector('#reserve-adjust')?.addEventListener('click', async () => {
    const done = await openDialog({
      title: '登记备用金退回或调整',
      submitLabel: '登记',
      body: html`<div class="grid-fields one">
        ${field({ name: 'township_id', label: '乡镇（街道）', type: 'select', dtype: 'int', options, value: res.township_id ?? '' })}
        ${field({ name: 'kind', label: '类别', type: 'select', options: [{ code: 'refund', label: '退回（调入备用金）' }, { code: 'adjustment', label: '调整' }] })}
        ${field({ name: 'direction', label: '调整方向', type: 'select', dtype: 'opt', blank: '（退回不用选）',
          options: [{ code: 'in', label: '调增' }, { code: 'out', label: '调减' }] })}
        ${field({ name: 'amount', label: '金额（元）', required: '请填写金额' })}
        ${field({ name: 'entry_on', label: '日期', type: 'date', value: today() })}
        ${field({ name: 'reference', label: '凭证号或文号', required: '请填写凭证号或文号' })}
        ${field({ name: 'note', label: '原因', type: 'textarea', required: '请填写退回或调整的原因' })}
      </div>`,
      run: (input) => call('reserve_fund.adjust', input),
    });
    if (done) {
      toast(`已登记，余额 ${yuan(done.balance)} 元`);
      reload(done.township_id);
    }
  });
}
