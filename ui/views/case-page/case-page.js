// 案件: one 低保/特困 case — what has been recorded at each step, the amount with its
// calculation, the deadline of the step it waits for, the steps the signed-in user may take now
// (only those: the server decides), and the whole timeline.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today, refreshOnConflict } from '../../lib/forms.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { trailTable } from '../../components/trail/trail.js';
import { stepFields, stepInput, deadlineText } from './steps.js';
import { saveDocument } from '../../components/documents/documents.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./case-page.css', import.meta.url));

const dash = (v) => (v === null || v === undefined || v === '' ? html`<span class="muted">—</span>` : v);

function item(k, v, cls = '') {
  return html`<div class="fact ${cls}"><dt>${k}</dt><dd>${dash(v)}</dd></div>`;
}

function staffControl(f) {
  return html`<fieldset class="field wide staff-pick">
    <legend>${f.label}<span class="req" aria-hidden="true">*</span></legend>
    ${f.staff.map((u, i) => html`<label class="check-inline"><input type="checkbox" name="investigator_ids[${i}]" value="${u.id}" data-skip>
      ${u.name}<span class="muted small">（${u.role_label}）</span></label>`)}
    <div class="field-error" data-for="investigator_ids[0]" role="alert"></div>
  </fieldset>`;
}

function stepBody(code, c) {
  return stepFields(code, c).map((f) => {
    if (f.type === 'staff') return staffControl(f);
    if (f.type === 'number') return field({ ...f, type: 'text', attrs: html`inputmode="numeric" class="num"` });
    return field(f);
  });
}

async function takeStep(c, a, reload) {
  const done = await openDialog({
    title: `${a.label}：${c.number}`,
    submitLabel: a.label,
    wide: true,
    body: html`<p class="dialog-message">${c.household.head_name}户 · ${c.programme_label} · ${c.state_label}</p>${stepBody(a.code, c)}`,
    run: async (values, form) => {
      const input = stepInput(c.id, a.code, values);
      if (a.code === 'record_survey') {
        input.investigator_ids = [...form.querySelectorAll('input[name^="investigator_ids"]:checked')].map((el) => Number(el.value));
      }
      input.expected_version = c.version;
      return refreshOnConflict(call('case.act', input), () => {
        form.closest('dialog').close();
        reload();
      });
    },
  });
  return done;
}

function amountsBlock(c) {
  if (!c.amounts.length) return html`<p class="muted">尚未核定保障金额。</p>`;
  return html`${c.amounts.map((a) => html`<div class="amount-row">
    <h4>${a.from_month} 起每月 <span class="money strong">${a.amount}</span> 元，保障 ${a.persons} 人</h4>
    ${trailTable(a.trail, { caption: `${a.from_month} 起的计算过程` })}
  </div>`)}`;
}

function timelineTable(rows) {
  return html`<table class="grid" id="case-timeline">
    <thead><tr><th>时间</th><th>步骤</th><th>办理人</th><th>状态变化</th><th>内容</th></tr></thead>
    <tbody>${rows.map((t) => html`<tr>
      <td class="nowrap mono small">${t.at}</td>
      <td class="nowrap">${t.action_label}</td>
      <td class="nowrap">${t.user_name}</td>
      <td class="nowrap">${t.from_state === t.to_state ? t.to_label : html`${t.from_label} → <strong>${t.to_label}</strong>`}</td>
      <td>${stepData(t.data)}</td>
    </tr>`)}</tbody>
  </table>`;
}

const DATA_LABELS = {
  date: '日期', summary: '内容', findings: '情况', investigators: '调查人员', opinion: '意见', start: '公示开始',
  end: '公示结束', days: '公示天数', reasons: '理由', review_class: '动态管理类别', pay_from: '起发月份',
  amount: '月保障金额（元）', persons: '保障人数', from_month: '起始月份', reason_label: '退出原因',
  grace_months: '渐退期（月）', note: '说明', applied_on: '申请日期', application_note: '申请事由',
  document: '文书', path: '保存位置', source: '来源', approved_on: '原审批日期',
  old_amount: '原月保障金额（元）', batch_id: '调标批次',
};

function stepData(data) {
  if (!data || typeof data !== 'object') return '';
  const parts = Object.entries(data)
    .filter(([k, v]) => DATA_LABELS[k] && v !== null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => html`<span class="kv"><span class="muted">${DATA_LABELS[k]}：</span>${Array.isArray(v) ? v.join('、') : String(v)}</span>`);
  return html`${parts}`;
}

function page(c) {
  const now = today();
  const deadline = c.deadline ? html`<span class="${c.overdue ? 'badge overdue' : 'badge'}">期限 ${c.deadline}（${deadlineText(c.deadline, now)}）</span>` : '';
  const nr = c.near_relative;
  return html`<section class="page case-page">
    <p class="no-print"><a href="#/cases">← 案件列表</a> · <a href="#/queue">待我处理</a></p>
    <header class="page-head">
      <h1>${c.programme_label} · <span class="mono">${c.number}</span></h1>
      <div class="head-badges"><span class="badge state state-${c.state}" id="case-state">${c.state_label}</span> ${deadline}</div>
    </header>
    <p class="banner">${c.waiting_for}</p>
    ${nr.flagged ? html`<p class="banner warn" id="near-relative-flag">近亲属备案案件：${nr.filings.map((f) => `${f.staff_name}（${f.staff_post}）是${f.relative_name}的${f.relation}`).join('；') || '已备案'}。须由他人办理，并经县级入户核查后才能审批。${nr.county_check.on ? ` 县级核查已于 ${nr.county_check.on} 由${nr.county_check.by}登记。` : ''}</p>` : ''}
    <div class="case-actions no-print" id="case-actions">
      ${c.available_actions.length
        ? c.available_actions.map((a) => html`<button type="button" class="primary" data-action="${a.code}">${a.label}</button>`)
        : html`<span class="muted">您现在没有可办理的步骤。</span>`}
      <button type="button" id="print-case">打印本页</button>
      ${c.survey.on ? html`<button type="button" id="doc-approval">审批表 PDF</button>` : ''}
      ${c.decision.refusal_reasons ? html`<button type="button" id="doc-refusal">不予批准通知书 PDF</button>` : ''}
    </div>
    <h2>申请</h2>
    <dl class="facts">
      ${item('户主', html`<a href="#/households/${c.household.id}">${c.household.head_name}</a>`)}
      ${item('所在地', [c.household.township_name, c.household.village_name, c.household.group_name].filter(Boolean).join(' '))}
      ${item('家庭住址', c.household.address, 'wide')}
      ${item('申请日期', c.applied_on)}
      ${item('登记人', c.created_by)}
      ${c.support_mode_label ? item('供养方式', c.support_mode_label) : ''}
      ${item('申请事由', c.application_note, 'wide')}
    </dl>
    <h2>受理与调查</h2>
    <dl class="facts">
      ${item('受理', c.accepted.on ? `${c.accepted.on} ${c.accepted.by}` : null)}
      ${item('核对报告', c.verification.on ? `${c.verification.on}：${c.verification.summary}` : null, 'wide')}
      ${item('入户调查', c.survey.on ? `${c.survey.on}（${c.survey.investigators.join('、')}）：${c.survey.findings}` : null, 'wide')}
      ${item('民主评议', c.appraisal.on ? `${c.appraisal.on}：${c.appraisal.summary}` : null, 'wide')}
      ${nr.flagged ? item('县级入户核查', nr.county_check.on ? `${nr.county_check.on} ${nr.county_check.by}：${nr.county_check.findings}` : null, 'wide') : ''}
    </dl>
    <h2>审核、公示与审批</h2>
    <dl class="facts">
      ${item('乡镇审核', c.review.on ? `${c.review.on} ${c.review.by}：${c.review.opinion}` : null, 'wide')}
      ${item('公示', c.notice.start ? `${c.notice.start} 至 ${c.notice.end}（${c.notice.days} 天）` : null)}
      ${item('县级审批', c.decision.on ? `${c.decision.on} ${c.decision.by}` : null)}
      ${c.decision.refusal_reasons ? item('不予批准理由', c.decision.refusal_reasons, 'wide') : ''}
      ${c.decision.refusal_served_on ? item('不予批准通知书送达', `${c.decision.refusal_served_on}（${c.decision.refusal_served_method}）`) : ''}
      ${item('起发月份', c.pay_from)}
      ${item('本月金额', c.current_amount ? `${c.current_amount} 元` : null)}
      ${item('动态管理', c.review_class ? `${c.review_class} 类，下次核查 ${c.next_review_due || '—'}` : null)}
      ${c.exit.decided_on ? item('退出', `${c.exit.decided_on} ${c.exit.reason_label}，渐退期 ${c.exit.grace_months} 个月，发放至 ${c.pay_until}：${c.exit.note}`, 'wide') : ''}
    </dl>
    <h2>保障金额</h2>
    ${amountsBlock(c)}
    <h2>办理记录</h2>
    ${timelineTable(c.timeline)}
  </section>`;
}

export async function casePage(root, { params }) {
  const id = Number(params.id);
  const draw = (c) => {
    document.title = `${c.number} - 兜底`;
    render(root, page(c));
    root.querySelector('#print-case').addEventListener('click', () => window.print());
    const doc = async (sel, title, command) => {
      const b = root.querySelector(sel);
      if (!b) return;
      b.addEventListener('click', async () => {
        const saved = await saveDocument({ title, command, input: { case_id: c.id }, fileName: `${c.number}-${title}.pdf` });
        if (saved) draw(await call('case.get', { case_id: c.id }));
      });
    };
    doc('#doc-approval', '审批表', 'document.approval_form');
    doc('#doc-refusal', '不予批准通知书', 'document.refusal_notice');
    for (const b of root.querySelectorAll('[data-action]')) {
      b.addEventListener('click', async () => {
        const a = c.available_actions.find((x) => x.code === b.dataset.action);
        const next = await takeStep(c, a, async () => draw(await call('case.get', { case_id: c.id })));
        if (next) {
          toast(`已${a.label}，案件现为“${next.state_label}”`);
          draw(next);
          const first = root.querySelector('[data-action]');
          if (first) first.focus();
        }
      });
    }
  };
  draw(await call('case.get', { case_id: id }));
}
