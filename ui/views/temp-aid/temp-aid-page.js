// 临时救助 case page: the application, the township quota and reserve fund, the same-cause warning
// with the reviewer's override, the near-relative flag, the staged payment plan, the deadline, the
// steps this user may take now (only those), and the whole timeline. Prints as the case record.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, thisMonth, normalizeMonth, refreshOnConflict } from '../../lib/forms.js';
import { session } from '../../lib/session.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { saveDocument } from '../../components/documents/documents.js';
import { ACTION_INPUTS, addMonths, deadlineText, isWeighty, splitEvenly, planTotal } from './plan.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./temp-aid.css', import.meta.url));

const dash = (v) => (v === null || v === undefined || v === '' ? html`<span class="muted">—</span>` : v);
const money = (v) => (v ? html`<span class="mono">${v}</span> 元` : dash(v));

function facts(c) {
  const item = (k, v, cls = '') => html`<div class="fact ${cls}"><dt>${k}</dt><dd>${dash(v)}</dd></div>`;
  return html`<dl class="facts" id="temp-aid-facts">
    ${item('申请家庭', html`<a href="#/households/${c.household_id}">${c.head_name} 户</a>`)}
    ${item('所在地', `${c.township_name} ${c.village_name}`)}
    ${item('救助类型', c.kind_label)}
    ${item('救助事由', c.cause_label)}
    ${item('申请日期', c.applied_on)}
    ${item('申请金额', money(c.requested_amount))}
    ${item('登记人', c.created_by_name)}
    ${item('受理', c.accepted_on && `${c.accepted_on} ${c.accepted_by_name}`)}
    ${item('申请事由说明', c.description, 'wide')}
    ${item('调查情况', c.findings && `${c.findings}（${c.investigated_by_name}，${c.investigated_on}）`, 'wide')}
  </dl>`;
}

function limits(c) {
  const item = (k, v, id = '') => html`<div class="fact"><dt>${k}</dt><dd ${id ? html`id="${id}"` : ''}>${v}</dd></div>`;
  return html`<dl class="facts" id="temp-aid-limits">
    ${item('乡镇审批额度', c.township_quota ? money(c.township_quota) : html`<span class="error">${c.limits_error || '未设置保障标准'}</span>`, 'temp-aid-quota')}
    ${item('临时救助上限', money(c.cap))}
    ${c.kind === 'emergency' ? item('急难型下限', money(c.emergency_min)) : ''}
    ${item(`${c.township_name}备用金余额`, money(c.reserve_balance), 'temp-aid-reserve')}
    ${item('先行救助', c.advance ? html`${money(c.advance.amount)}（${c.advance.by_name}，${c.advance.on}）` : dash(null))}
    ${item('审批金额', c.decision && c.decision.approved_amount
      ? html`${money(c.decision.approved_amount)}（${c.decision.level === 'county' ? '县级' : '乡镇'}审批，${c.decision.by_name}，${c.decision.on}）`
      : dash(null))}
    ${item('已发放', money(c.paid_amount))}
    ${item('待发放', money(c.unpaid_amount))}
  </dl>`;
}

function banners(c) {
  const out = [];
  if (c.repeat) {
    const o = c.repeat.override;
    out.push(html`<p class="banner warn" id="temp-aid-repeat" role="note">
      此户本年度已因同一事由获得或申请临时救助（案件 ${c.repeat.earlier.join('、')}）；同一事由每年只救助一次。
      ${o ? html`<br>乡镇审核人 <strong>${o.by_name}</strong> 已于 ${o.on} 特批：${o.reason}`
          : html`<br><strong>须由乡镇审核人登记特批理由后才能救助。</strong>`}
    </p>`);
  }
  if (c.near_relative_flagged) {
    out.push(html`<p class="banner warn" id="temp-aid-near" role="note">近亲属备案案件：备案人员不能办理此案件；
      ${c.county_check ? html`县级入户核查已于 ${c.county_check.on} 完成（${c.county_check.by_name}）：${c.county_check.findings}`
        : html`<strong>须先由县级入户核查，才能发放或审批救助。</strong>`}</p>`);
  }
  if (c.decision && c.decision.refusal_reasons) {
    out.push(html`<p class="banner error">不予救助（${c.decision.level === 'county' ? '县级' : '乡镇'}，${c.decision.by_name}，${c.decision.on}）：${c.decision.refusal_reasons}</p>`);
  }
  if (c.referral) {
    out.push(html`<p class="banner">已于 ${c.referral.on} 报县级审批（${c.referral.by_name}）：${c.referral.opinion}</p>`);
  }
  return out;
}

/** A stage not paid by hand: paid by a locked monthly run, waiting on a run's roster, or not paid. */
export function stageRun(s) {
  if (s.paid_in_run) return `${s.roster_month} 月度发放已支付`;
  if (s.roster_month) return html`<span class="muted">已列入 ${s.roster_month} 花名册，待该月锁定</span>`;
  return html`<span class="muted">未发放</span>`;
}

function stagesTable(c) {
  if (!c.stages.length) return html`<p class="muted" id="temp-aid-stages">${c.decision ? '无分阶段发放（先行救助即为全部救助）。' : '审批后在此显示分阶段发放计划。'}</p>`;
  return html`<table class="grid" id="temp-aid-stages">
    <thead><tr><th>阶段</th><th>计划月份</th><th class="num">金额（元）</th><th>发放日期</th><th>登记人</th></tr></thead>
    <tbody>${c.stages.map((s) => html`<tr data-stage="${s.no}">
      <td>第 ${s.no} 阶段</td><td>${s.month}</td><td class="num mono">${s.amount}</td>
      <td>${s.paid_on ? s.paid_on : stageRun(s)}</td><td>${dash(s.paid_by_name)}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** A step's data in words for the timeline. */
export function stepText(t) {
  const d = t.data || {};
  const parts = [];
  if (t.action === 'register') {
    if (d.description) parts.push(d.description);
    if (d.requested_amount) parts.push(`申请金额 ${d.requested_amount} 元`);
    if (d.repeat_of && d.repeat_of.length) parts.push(`同一事由已有案件 ${d.repeat_of.join('、')}`);
    return parts.join('；');
  }
  if (d.findings) parts.push(d.findings);
  if (d.amount) parts.push(`金额 ${d.amount} 元`);
  if (d.stages && d.stages.length) parts.push('分阶段：' + d.stages.map((s) => `${s.month} ${s.amount} 元`).join('，'));
  if (d.reason) parts.push(`${t.action === 'pay_stage' ? '提前发放理由' : '特批理由'}：${d.reason}`);
  if (d.opinion) parts.push(d.opinion);
  if (d.reasons) parts.push(`理由：${d.reasons}`);
  if (d.stage_no) parts.unshift(`第 ${d.stage_no} 阶段`);
  if (d.note) parts.push(d.note);
  return parts.join('；');
}

function timeline(c) {
  return html`<table class="grid" id="temp-aid-timeline">
    <thead><tr><th>时间</th><th>办理人</th><th>步骤</th><th>状态</th><th>内容</th></tr></thead>
    <tbody>${c.timeline.map((t) => html`<tr>
      <td class="nowrap">${t.at}</td><td>${t.user_name}</td><td class="nowrap">${t.label}</td>
      <td class="nowrap">${t.from_label ? `${t.from_label} → ` : ''}${t.to_label}</td><td>${stepText(t)}</td>
    </tr>`)}</tbody>
  </table>`;
}

function planRows(plan) {
  return plan.map((s, i) => html`<div class="stage-row">
    ${field({ name: `stages[${i}].month`, label: `第 ${i + 1} 阶段月份`, type: 'month', value: s.month, required: '请填写发放月份' })}
    ${field({ name: `stages[${i}].amount`, label: '金额（元）', value: s.amount, required: '请填写金额' })}
  </div>`);
}

/** The dialog body for a step, from ACTION_INPUTS. */
function actionBody(c, action) {
  const parts = [];
  for (const [name, kind, label] of ACTION_INPUTS[action]) {
    if (kind === 'text') {
      parts.push(field({ name, label, type: 'textarea', wide: true, required: `请填写${label}` }));
    } else if (kind === 'amount') {
      const hint = action === 'approve_county'
        ? `上限 ${c.cap ?? '—'} 元`
        : `乡镇审批额度 ${c.township_quota ?? '—'} 元${action === 'grant_advance' ? `；备用金余额 ${c.reserve_balance} 元` : ''}`;
      parts.push(field({ name, label, required: `请填写${label}`, hint,
        value: action.startsWith('approve') && c.advance ? c.advance.amount : '' }));
    } else if (kind === 'plan') {
      parts.push(html`<fieldset class="plan wide" id="plan">
        <legend>${label}${c.advance ? `（已先行救助 ${c.advance.amount} 元，只安排其余部分）` : ''}</legend>
        <div class="plan-controls">
          ${field({ name: 'plan_count', label: '阶段数', type: 'select', value: c.advance ? '0' : '1', attrs: html`data-skip`,
            options: Array.from({ length: 13 }, (_, n) => ({ code: n, label: n === 0 ? '不再发放' : `${n} 个阶段` })) })}
          ${field({ name: 'plan_first', label: '首次发放月份', type: 'month', value: thisMonth(), attrs: html`data-skip` })}
          <button type="button" id="plan-split">按总额平均分配</button>
        </div>
        <div id="plan-rows"></div>
        <p class="muted" id="plan-total"></p>
      </fieldset>`);
    } else if (kind === 'note') {
      parts.push(field({ name, label, type: 'textarea', wide: true }));
    } else if (kind === 'stage') {
      const unpaid = c.stages.filter((s) => !s.paid_on && !s.roster_month);
      parts.push(field({ name, label, type: 'select', dtype: 'int',
        options: unpaid.map((s) => ({ code: s.no, label: `第 ${s.no} 阶段：${s.month}，${s.amount} 元` })) }));
    }
  }
  if (!parts.length) parts.push(html`<p class="dialog-message">确认对案件 ${c.number}（${c.head_name} 户）办理“${labelOf(c, action)}”？</p>`);
  return html`<div class="grid-fields one">${parts}</div>`;
}

function labelOf(c, action) {
  return (c.available_actions.find((a) => a.action === action) || {}).label || action;
}

/** Wire the plan editor: the count and first month redraw the rows split evenly. */
function wirePlan(form, c) {
  const rows = form.querySelector('#plan-rows');
  if (!rows) return;
  const total = form.querySelector('#plan-total');
  const redraw = () => {
    const n = Number(form.elements.plan_count.value);
    const first = normalizeMonth(form.elements.plan_first.value) || thisMonth();
    let plan = n === 0 ? [] : splitEvenly(form.elements.amount.value || '0', c.advance ? c.advance.amount : '', n, first);
    // No amount yet (or one that does not split): blank amounts in consecutive months.
    if (n > 0 && !(plan && plan.length)) plan = Array.from({ length: n }, (_, i) => ({ month: addMonths(first, i), amount: '' }));
    render(rows, planRows(plan));
    showTotal();
  };
  const showTotal = () => {
    const amounts = [...rows.querySelectorAll('input[name$=".amount"]')].map((el) => ({ amount: el.value }));
    const sum = planTotal(amounts);
    total.textContent = amounts.length ? `各阶段合计 ${sum ?? '—'} 元` : '不安排分阶段发放';
  };
  form.querySelector('#plan-split').addEventListener('click', redraw);
  form.elements.plan_count.addEventListener('change', redraw);
  form.elements.amount.addEventListener('change', redraw);
  rows.addEventListener('input', showTotal);
  redraw();
}

export async function tempAidPage(root, { params }) {
  let c = await call('temp_aid.get', { id: Number(params.id) });

  async function takeStep(action) {
    const label = labelOf(c, action);
    const done = await openDialog({
      title: `${label} — ${c.number}`,
      submitLabel: label,
      danger: isWeighty(action),
      wide: ACTION_INPUTS[action].some(([, kind]) => kind === 'plan'),
      body: actionBody(c, action),
      setup: (form) => wirePlan(form, c),
      run: (input, form) => refreshOnConflict(
        call('temp_aid.act', { case_id: c.id, action, ...input, expected_version: c.version }),
        async () => {
          form.closest('dialog').close();
          c = await call('temp_aid.get', { id: c.id });
          draw();
        }),
    });
    if (done) {
      c = done;
      toast(`已${label}`);
      draw();
    }
  }

  function draw() {
    document.title = `${c.number} ${c.head_name}户临时救助 - 兜底`;
    render(root, html`<section class="page" id="temp-aid-page" data-case-id="${c.id}" data-state="${c.state}">
      <div class="print-title">${session.countyName} 临时救助审批表</div>
      <div class="page-head">
        <h1>临时救助 <span class="mono">${c.number}</span> <span class="state-badge" id="temp-aid-state">${c.state_label}</span></h1>
        <div class="actions">
          <button type="button" id="temp-aid-print">打印本页</button>
          ${c.investigated_on ? html`<button type="button" id="temp-aid-pdf">审批表 PDF</button>` : ''}
          <a class="button" href="#/temp-aid">返回列表</a>
        </div>
      </div>
      <p class="waiting">${c.waiting_for}${c.deadline ? html`；办理期限 <span id="temp-aid-deadline" class="${c.overdue ? 'overdue' : ''}">${deadlineText(c.deadline, c.overdue)}</span>` : ''}</p>
      ${banners(c)}
      <div class="step-actions no-print" id="temp-aid-actions">
        ${c.available_actions.length
          ? c.available_actions.map((a) => html`<button type="button" class="${isWeighty(a.action) ? 'primary' : ''}" data-action="${a.action}">${a.label}</button>`)
          : html`<span class="muted">您现在没有可办理的步骤。</span>`}
      </div>
      <h2>申请</h2>${facts(c)}
      <h2>金额与额度</h2>${limits(c)}
      <h2>分阶段发放</h2>${stagesTable(c)}
      <h2>办理过程</h2>${timeline(c)}
      <div class="signoff print-only">
        <span>经办人：</span><span>科室负责人：</span><span>乡镇（街道）负责人：</span><span>县民政局：</span>
      </div>
    </section>`);
    root.querySelector('#temp-aid-print').addEventListener('click', () => window.print());
    const pdf = root.querySelector('#temp-aid-pdf');
    if (pdf) pdf.addEventListener('click', () => saveDocument({
      title: '临时救助审批表', command: 'document.temp_aid_form', input: { id: c.id }, fileName: `${c.number}-临时救助审批表.pdf`,
    }));
    root.querySelector('#temp-aid-actions').addEventListener('click', (e) => {
      const action = e.target.dataset && e.target.dataset.action;
      if (action) takeStep(action);
    });
  }
  draw();
}
