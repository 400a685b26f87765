// 一事一议: the case list, the 申报表 form, the case page (only the steps this user may take now,
// the decision, payments, visits and the whole timeline; prints as the 申报表), and the
// administrator's settings for member units, quorum and majority.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today, refreshOnConflict } from '../../lib/forms.js';
import { go } from '../../lib/router.js';
import { can, session } from '../../lib/session.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { saveDocument } from '../../components/documents/documents.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./deliberation.css', import.meta.url));

const STATES = [
  ['open', '办理中'], ['filed', '已申报'], ['returned', '已退回补充'], ['reviewed', '县局已审查'],
  ['on_agenda', '已列入议程'], ['approved', '会议决定救助'], ['signed_off', '已签批'], ['on_notice', '公示中'],
  ['paying', '发放中'], ['closed', '已结案'], ['rejected', '会议决定不予救助'], ['referred', '已转介常规救助'],
].map(([code, label]) => ({ code, label }));

/** Labels for the data a step records, as the timeline shows it. */
const DATA_LABELS = {
  opinion: '意见', reasons: '理由', note: '说明', start: '公示开始', stage: '期次', paid_on: '发放日期', reason: '提前发放理由',
  visited_on: '回访日期', visitor: '回访人员', findings: '回访情况', outcome: '结案情况', number: '编号',
  special_matter: '特殊困难事项', proposed_amount: '拟救助金额（元）', held_on: '会议日期',
  decision_label: '决定', amount: '救助金额（元）', measures: '救助措施', responsible_units: '责任单位',
  present: '实到单位', expected: '应到单位', agree: '同意', agree_with_changes: '修改后同意', disagree: '不同意',
};

function dataLines(data) {
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data)
    .filter(([k, v]) => DATA_LABELS[k] && v !== null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => `${DATA_LABELS[k]}：${Array.isArray(v) ? v.join('、') : v}`);
}

// ---- list ----

export async function deliberationList(root, { query }) {
  document.title = '一事一议 - 兜底';
  const state = query.get('state') ?? 'open';
  const r = await call('deliberation.list', state ? { state } : {});
  const mayFile = ['caseworker', 'reviewer', 'approver'].includes(session.user.role);
  render(root, html`<section class="page">
    <div class="page-head"><h1>一事一议</h1>
      <div class="actions">
        ${mayFile ? html`<a class="button primary" href="#/deliberation/new" id="delib-new">新建申报</a>` : ''}
        ${can('meetings') ? html`<a class="button" href="#/meetings">协调会议</a>` : ''}
        ${can('admin') ? html`<a class="button" href="#/deliberation/settings">成员单位与表决规则</a>` : ''}
      </div>
    </div>
    <form class="filterbar" id="delib-filter" novalidate>
      ${field({ name: 'state', label: '状态', type: 'select', value: state, blank: '全部', options: STATES })}
    </form>
    ${r.cases.length ? html`<table class="grid rows-clickable" id="delib-table">
      <thead><tr><th>编号</th><th>户主</th><th>乡镇</th><th>村（社区）</th><th>特殊困难事项</th>
        <th class="num">拟救助（元）</th><th class="num">决定救助（元）</th><th>状态</th><th>申报日期</th></tr></thead>
      <tbody>${r.cases.map((c) => html`<tr data-id="${c.id}">
        <td class="nowrap"><a href="#/deliberation/${c.id}">${c.number}</a></td><td>${c.head_name}</td>
        <td>${c.township_name}</td><td>${c.village_name}</td><td>${c.special_matter}</td>
        <td class="num">${c.proposed_amount}</td><td class="num">${c.approved_amount ?? '—'}</td>
        <td class="nowrap">${c.state_label}</td><td class="nowrap">${c.filed_on}</td></tr>`)}</tbody>
    </table>` : html`<p class="muted">没有案件。</p>`}
  </section>`);
  root.querySelector('#delib-filter select').addEventListener('change', (e) => go('/deliberation', { state: e.target.value || '' }));
  for (const tr of root.querySelectorAll('#delib-table tbody tr')) {
    tr.addEventListener('click', (e) => { if (e.target.tagName !== 'A') go(`/deliberation/${tr.dataset.id}`); });
  }
}

// ---- 申报表 ----

function receivedRow(n) {
  return html`<div class="received-row grid-fields" data-row="${n}">
    ${field({ name: `received[${n}].programme`, label: '已享受的救助项目', hint: '如 低保、临时救助、医疗救助' })}
    ${field({ name: `received[${n}].amount`, label: '金额（元）', attrs: html`inputmode="decimal"` })}
    ${field({ name: `received[${n}].note`, label: '说明' })}
  </div>`;
}

export async function deliberationNew(root, { query }) {
  document.title = '申报一事一议 - 兜底';
  const preset = query.get('household');
  let chosen = null;
  if (preset) {
    const h = await call('household.get', { id: Number(preset) });
    const head = h.members.find((m) => m.person_id === h.household.head_id);
    chosen = { id: h.household.id, label: `${head ? head.name : ''}（${h.household.township_name}${h.household.village_name}）` };
  }
  const unit = session.user.area_name ? `${session.user.area_name}` : '';
  render(root, html`<section class="page">
    <div class="page-head"><h1>一事一议申报表</h1></div>
    <form id="delib-form" class="panel" novalidate>
      <fieldset><legend>申报家庭</legend>
        <div class="grid-fields">
          ${field({ name: 'q', label: '查找家庭', hint: '户主或成员姓名、拼音首字母、身份证号', attrs: html`data-skip autofocus` })}
          <div class="field"><label for="delib-household">家庭</label>
            <select id="delib-household" name="household_id" data-type="int" data-required="请先查找并选择申报的家庭">
              ${chosen ? html`<option value="${chosen.id}" selected>${chosen.label}</option>` : html`<option value="">（请先查找）</option>`}
            </select><div class="field-error" data-for="household_id" role="alert"></div></div>
        </div>
      </fieldset>
      <fieldset><legend>困难情况</legend>
        ${field({ name: 'family_situation', label: '家庭基本情况', type: 'textarea', required: '请填写家庭基本情况', wide: true })}
        ${field({ name: 'special_matter', label: '特殊困难事项', type: 'textarea', required: '请填写特殊困难事项', wide: true })}
      </fieldset>
      <fieldset><legend>已享受的常规救助</legend>
        <div id="received-rows">${receivedRow(0)}</div>
        <button type="button" id="received-add">增加一项</button>
      </fieldset>
      <fieldset><legend>拟救助方案</legend>
        <div class="grid-fields">
          ${field({ name: 'proposed_amount', label: '拟救助金额（元）', required: '请填写拟救助金额', attrs: html`inputmode="decimal"` })}
          ${field({ name: 'reporting_unit', label: '申报单位', value: unit, required: '请填写申报单位' })}
          ${field({ name: 'filed_on', label: '申报日期', type: 'date', value: today() })}
        </div>
        ${field({ name: 'proposed_measures', label: '拟采取的救助措施', type: 'textarea', required: '请填写拟采取的救助措施', wide: true })}
        ${field({ name: 'township_opinion', label: '申报单位意见', type: 'textarea', value: '情况属实，拟纳入一事一议决策范围', required: '请填写申报单位意见', wide: true })}
      </fieldset>
      <div class="form-error" role="alert"></div>
      <div class="form-actions"><button type="submit" class="primary">提交申报</button>
        <a class="button" href="#/deliberation">取消</a></div>
    </form>
  </section>`);
  const form = root.querySelector('#delib-form');
  const select = form.querySelector('#delib-household');
  let rows = 1;
  form.querySelector('#received-add').addEventListener('click', () => {
    form.querySelector('#received-rows').insertAdjacentHTML('beforeend', receivedRow(rows++).text);
  });
  const q = form.elements.q;
  q.addEventListener('keydown', async (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const r = await call('household.search', { q: q.value.trim(), page_size: 50 });
    render(select, r.items.length
      ? r.items.map((h) => html`<option value="${h.id}">${h.head_name}（${h.township_name}${h.village_name}，${h.address}）</option>`)
      : html`<option value="">没有找到</option>`);
    select.focus();
  });
  onSubmit(form, async (input) => {
    delete input.q;
    input.received = (input.received || []).filter((r) => r.programme.trim() || r.amount.trim() || r.note.trim());
    if (!input.filed_on) delete input.filed_on;
    const v = await call('deliberation.file', input);
    toast(`已申报，编号 ${v.number}`);
    go(`/deliberation/${v.id}`);
  });
}

// ---- the case page ----

function actionBody(action, c) {
  switch (action) {
    case 'review': return field({ name: 'opinion', label: '县局审查意见', type: 'textarea', required: '请填写县局审查意见', wide: true });
    case 'return': return field({ name: 'reasons', label: '退回补充的理由', type: 'textarea', required: '请填写退回补充的理由', wide: true });
    case 'resubmit': return field({ name: 'note', label: '补充情况说明', type: 'textarea', required: '请填写补充情况说明', wide: true });
    case 'sign_off': return html`<p>签批会议决定：救助 ${c.approved_amount} 元。</p>${field({ name: 'note', label: '签批意见', type: 'textarea', wide: true })}`;
    case 'start_notice': return field({ name: 'start', label: '公示开始日期', type: 'date', value: today(), required: '请填写公示开始日期', hint: `公示 ${c.notice_days} 天` });
    case 'pay': {
      const unpaid = c.payments.filter((p) => !p.paid_on && !p.roster_month).map((p) => ({ code: p.stage, label: `第 ${p.stage} 期 ${p.planned_month} ${p.amount} 元` }));
      return html`${field({ name: 'stage', label: '期次', type: 'select', options: unpaid, dtype: 'int' })}
        ${field({ name: 'paid_on', label: '发放日期', type: 'date', value: today(), required: '请填写发放日期' })}
        ${field({ name: 'reason', label: '提前发放的理由（早于计划月份发放时必填）', type: 'textarea', wide: true })}`;
    }
    case 'visit': return html`${field({ name: 'visited_on', label: '回访日期', type: 'date', value: today(), required: '请填写回访日期' })}
      ${field({ name: 'visitor', label: '回访人员', value: session.user.display_name, required: '请填写回访人员' })}
      ${field({ name: 'findings', label: '回访情况', type: 'textarea', required: '请填写回访情况', wide: true })}`;
    case 'close': return field({ name: 'outcome', label: '结案情况（救助效果）', type: 'textarea', required: '请填写结案情况', wide: true });
    default: return '';
  }
}

function fact(label, value) {
  return html`<div class="fact"><span class="muted">${label}</span><div>${value ?? '—'}</div></div>`;
}

export async function deliberationPage(root, { params }) {
  const c = await call('deliberation.get', { id: Number(params.id) });
  document.title = `一事一议 ${c.number} - 兜底`;
  const own = c.available_actions.filter((a) => !a.via_meeting);
  const viaMeeting = c.available_actions.filter((a) => a.via_meeting);
  render(root, html`<section class="page delib-page">
    <div class="page-head"><h1>一事一议 ${c.number} <span class="state-badge">${c.state_label}</span></h1>
      <div class="actions">
        ${own.map((a) => html`<button type="button" class="primary" data-action="${a.action}">${a.label}</button>`)}
        ${viaMeeting.length ? html`<a class="button" href="#/meetings${c.meeting_id ? `/${c.meeting_id}` : ''}">到协调会议${viaMeeting.map((a) => a.label).join('、')}</a>` : ''}
        <button type="button" id="delib-print">打印本页</button>
        <button type="button" id="delib-pdf">申报表 PDF</button>
        ${c.decision ? html`<button type="button" id="minutes-pdf">会议纪要 PDF</button>` : ''}
      </div>
    </div>
    <p class="muted no-print" id="delib-waiting">${c.waiting_for}${c.available_actions.length ? '' : '；您现在没有可办理的步骤。'}</p>
    <div class="panel">
      <h2>申报表</h2>
      <div class="facts">
        ${fact('户主', html`<a href="#/households/${c.household_id}">${c.head_name}</a>`)}
        ${fact('乡镇（街道）', c.township_name)} ${fact('村（社区）', c.village_name)}
        ${fact('申报单位', c.reporting_unit)} ${fact('经办人', c.filed_by_name)} ${fact('申报日期', c.filed_on)}
      </div>
      <h3>家庭基本情况</h3><p class="pre">${c.family_situation}</p>
      <h3>特殊困难事项</h3><p class="pre">${c.special_matter}</p>
      <h3>已享受的常规救助（合计 ${c.received_total} 元）</h3>
      ${c.received.length ? html`<table class="grid"><thead><tr><th>项目</th><th class="num">金额（元）</th><th>说明</th></tr></thead>
        <tbody>${c.received.map((r) => html`<tr><td>${r.programme}</td><td class="num">${r.amount}</td><td>${r.note}</td></tr>`)}</tbody></table>` : html`<p class="muted">无</p>`}
      <h3>拟救助金额和措施</h3><p class="pre">${c.proposed_amount} 元；${c.proposed_measures}</p>
      <h3>申报单位意见</h3><p class="pre">${c.township_opinion}</p>
      ${c.review_opinion ? html`<h3>县局审查意见</h3><p class="pre">${c.review_opinion}（${c.reviewed_by_name}，${c.reviewed_on}）</p>` : ''}
    </div>
    ${c.decision ? html`<div class="panel"><h2>会议决定</h2>
      <div class="facts">${fact('决定', c.decision_label)} ${fact('会议日期', c.decided_on)}
        ${c.approved_amount ? fact('救助金额（元）', c.approved_amount) : ''}
        ${c.responsible_units.length ? fact('责任单位', c.responsible_units.join('、')) : ''}
        ${c.signed_off_on ? fact('签批', `${c.signed_off_by_name}，${c.signed_off_on}`) : ''}
        ${c.notice_start ? fact('公示', `${c.notice_start} 至 ${c.notice_end}`) : ''}
        ${c.meeting_id ? fact('会议', html`<a href="#/meetings/${c.meeting_id}">查看会议纪要</a>`) : ''}</div>
      ${c.approved_measures ? html`<h3>救助措施</h3><p class="pre">${c.approved_measures}</p>` : ''}
      ${c.decision_note ? html`<p class="pre">${c.decision_note}</p>` : ''}
    </div>` : ''}
    ${c.payments.length ? html`<div class="panel"><h2>发放</h2><table class="grid" id="delib-payments">
      <thead><tr><th>期次</th><th>计划月份</th><th class="num">金额（元）</th><th>发放日期</th></tr></thead>
      <tbody>${c.payments.map((p) => html`<tr><td>第 ${p.stage} 期</td><td>${p.planned_month}</td><td class="num">${p.amount}</td><td>${p.paid_on ?? (p.paid_in_run ? `${p.roster_month} 月度发放已支付` : p.roster_month ? `已列入 ${p.roster_month} 花名册，待该月锁定` : '未发放')}</td></tr>`)}</tbody>
    </table></div>` : ''}
    ${c.visits.length ? html`<div class="panel"><h2>跟踪回访</h2><ul class="visits">
      ${c.visits.map((v) => html`<li><strong>${v.visited_on}</strong> ${v.visitor}：${v.findings}</li>`)}</ul></div>` : ''}
    ${c.outcome ? html`<div class="panel"><h2>结案</h2><p class="pre">${c.outcome}（${c.closed_on}）</p></div>` : ''}
    <div class="panel no-print"><h2>办理经过</h2><ol class="timeline" id="delib-timeline">
      ${c.timeline.map((t) => html`<li><div><strong>${t.action_label}</strong>
        <span class="muted">${t.at} ${t.user_name}</span>
        <span class="muted">${t.from_label ? `${t.from_label} → ` : ''}${t.to_label}</span></div>
        ${dataLines(t.data).map((l) => html`<div class="small">${l}</div>`)}</li>`)}
    </ol></div>
  </section>`);
  root.querySelector('#delib-print').addEventListener('click', () => window.print());
  root.querySelector('#delib-pdf').addEventListener('click', () => saveDocument({
    title: '一事一议申报表', command: 'document.deliberation_application', input: { id: c.id }, fileName: `${c.number}-一事一议申报表.pdf`,
  }));
  const minutes = root.querySelector('#minutes-pdf');
  if (minutes) minutes.addEventListener('click', () => saveDocument({
    title: '会议纪要', command: 'document.meeting_minutes', input: { id: c.id }, fileName: `${c.number}-会议纪要.pdf`,
  }));
  for (const b of root.querySelectorAll('button[data-action]')) {
    b.addEventListener('click', async () => {
      const action = b.dataset.action;
      const label = b.textContent;
      const done = await openDialog({
        title: `${label}：${c.number}`, submitLabel: label, wide: true,
        body: actionBody(action, c),
        run: (input, form) => refreshOnConflict(
          call('deliberation.act', { ...input, id: c.id, action, expected_version: c.version }),
          () => {
            form.closest('dialog').close();
            go(`/deliberation/${c.id}`);
          }),
      });
      if (done) {
        toast(`已${label}`);
        go(`/deliberation/${c.id}`);
      }
    });
  }
}

// ---- settings (administrator) ----

export async function deliberationSettings(root) {
  document.title = '一事一议设置 - 兜底';
  const [s, users] = await Promise.all([call('deliberation.settings'), call('user.list')]);
  const unitUsers = users.users.filter((u) => u.role === 'member_unit');
  const unitOf = (id) => (s.user_units.find((x) => x.user_id === id) || {}).unit || '';
  render(root, html`<section class="page">
    <div class="page-head"><h1>一事一议：成员单位与表决规则</h1></div>
    <form id="delib-settings" class="panel" novalidate>
      ${field({ name: 'units_text', label: '协调机制成员单位（每行一个）', type: 'textarea', value: s.units.join('\n'), wide: true,
        hint: `默认：${s.default_units.join('、')}`, attrs: html`rows="12" data-skip autofocus` })}
      <div class="grid-fields">
        ${field({ name: 'quorum', label: '法定人数（实到单位占应到单位）', type: 'select', value: s.quorum, options: s.thresholds })}
        ${field({ name: 'majority', label: '作出救助决定（同意单位占实到单位）', type: 'select', value: s.majority, options: s.thresholds })}
      </div>
      <h2>成员单位代表</h2>
      ${unitUsers.length ? html`<div class="grid-fields">${unitUsers.map((u) => field({
        name: `unit_of_${u.id}`, label: `${u.display_name}（${u.username}）代表`, value: unitOf(u.id), attrs: html`data-skip data-user="${u.id}"`,
        hint: '填写上面名单中的单位名称，留空表示不对应' }))}</div>` : html`<p class="muted">还没有成员单位代表用户。</p>`}
      <div class="form-error" role="alert"></div>
      <div class="form-actions"><button type="submit" class="primary">保存</button></div>
    </form>
  </section>`);
  const form = root.querySelector('#delib-settings');
  onSubmit(form, async (input) => {
    const units = form.elements.units_text.value.split('\n').map((u) => u.trim()).filter(Boolean);
    const userUnits = [...form.querySelectorAll('[data-user]')]
      .filter((el) => el.value.trim())
      .map((el) => ({ user_id: Number(el.dataset.user), unit: el.value.trim() }));
    try {
      await call('deliberation.set_settings', { units, quorum: input.quorum, majority: input.majority, user_units: userUnits });
    } catch (err) {
      if (err.field && err.field.startsWith('units')) err.field = 'units_text';
      const m = err.field && /^user_units\[(\d+)\]/.exec(err.field);
      if (m) err.field = `unit_of_${userUnits[Number(m[1])].user_id}`;
      throw err;
    }
    toast('一事一议设置已保存');
  });
}
