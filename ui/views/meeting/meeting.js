// 协调会议: the list of meetings and the live meeting page — agenda, attendance ticked per unit
// with the quorum shown as it changes, each unit's opinion and commitment per case with a live
// tally, and the decision form with the minutes. The approver records everything; a member-unit
// representative records their own unit's opinion. Prints as the 会议纪要.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today, refreshOnConflict } from '../../lib/forms.js';
import { go } from '../../lib/router.js';
import { session } from '../../lib/session.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { quorumStatus, tallyOf, majorityMet, sumFen, yuan, decisionText, enteredBy } from './tally.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./meeting.css', import.meta.url));

const OPINIONS = [
  { code: 'agree', label: '同意' }, { code: 'agree_with_changes', label: '修改后同意' }, { code: 'disagree', label: '不同意' },
];
const DECISIONS = [
  { code: 'approve', label: '同意救助' }, { code: 'reject', label: '不予救助' }, { code: 'refer', label: '转介常规救助' },
];

// ---- list ----

export async function meetingList(root) {
  document.title = '协调会议 - 兜底';
  const r = await call('meeting.list');
  const mayConvene = session.user.role === 'approver';
  render(root, html`<section class="page">
    <div class="page-head"><h1>一事一议协调会议</h1>
      <div class="actions">${mayConvene ? html`<button type="button" class="primary" id="meeting-new">召开会议</button>` : ''}
        <a class="button" href="#/deliberation">一事一议案件</a></div></div>
    ${r.meetings.length ? html`<table class="grid rows-clickable" id="meeting-table">
      <thead><tr><th>会议日期</th><th>地点</th><th>主持人</th><th class="num">议题</th><th class="num">待决</th>
        <th class="num">实到/应到</th><th>状态</th></tr></thead>
      <tbody>${r.meetings.map((m) => html`<tr data-id="${m.id}"><td><a href="#/meetings/${m.id}">${m.held_on}</a></td>
        <td>${m.place}</td><td>${m.chair}</td><td class="num">${m.items}</td><td class="num">${m.undecided}</td>
        <td class="num">${m.present}/${m.expected}</td><td>${m.state_label}</td></tr>`)}</tbody>
    </table>` : html`<p class="muted">还没有会议。</p>`}
  </section>`);
  for (const tr of root.querySelectorAll('#meeting-table tbody tr')) {
    tr.addEventListener('click', (e) => { if (e.target.tagName !== 'A') go(`/meetings/${tr.dataset.id}`); });
  }
  const btn = root.querySelector('#meeting-new');
  if (btn) btn.addEventListener('click', async () => {
    const m = await openDialog({
      title: '召开协调会议', submitLabel: '召开',
      body: html`${field({ name: 'held_on', label: '会议日期', type: 'date', value: today(), required: '请填写会议日期' })}
        ${field({ name: 'place', label: '会议地点', required: '请填写会议地点', wide: true })}
        ${field({ name: 'chair', label: '主持人', required: '请填写主持人' })}
        ${field({ name: 'recorder', label: '记录人', value: session.user.display_name, required: '请填写记录人' })}
        <p class="muted">邀请全部成员单位；法定人数和表决规则按当前设置。</p>`,
      run: (input) => call('meeting.create', input),
    });
    if (m) go(`/meetings/${m.id}`);
  });
}

// ---- the meeting page ----

function quorumBanner(q, label) {
  return html`<p class="banner ${q.met ? 'ok' : 'error'}" id="quorum-status" aria-live="polite">
    应到 ${q.expected} 个成员单位，实到 ${q.present} 个：${q.met ? '已达到法定人数' : `未达到法定人数（须${label}）`}</p>`;
}

function tallyText(t, present, met, label) {
  return html`同意 ${t.agree}，修改后同意 ${t.agree_with_changes}，不同意 ${t.disagree}，未表态 ${t.silent}；
    <strong class="${met ? 'ok' : 'error'}">${met ? '同意的已' : '同意的未'}${label}</strong>（出席 ${present}）`;
}

function opinionRows(m, item, present) {
  const mine = m.my_unit;
  return present.map((a) => {
    const o = item.opinions.find((x) => x.unit === a.unit) || {};
    const editable = item.decision === null && m.state === 'open' && (m.can_record || mine === a.unit);
    return html`<tr data-unit="${a.unit}"><th scope="row">${a.unit}</th>
      <td>${editable ? html`<select name="opinion" aria-label="${a.unit}意见"><option value="">（未表态）</option>
        ${OPINIONS.map((x) => html`<option value="${x.code}" ${x.code === o.opinion ? 'selected' : ''}>${x.label}</option>`)}</select>`
        : (o.opinion_label || '—')}</td>
      <td>${editable ? html`<input name="commitment" value="${o.commitment || ''}" aria-label="${a.unit}承诺措施" placeholder="本部门落实的措施">`
        : (o.commitment || '')}</td>
      <td class="entered">${enteredBy(o)}${editable && mine !== a.unit
        ? html`<input name="paper_opinion_ref" aria-label="${a.unit}签章书面意见" placeholder="已收到的签章书面意见（编号或说明）">` : ''}</td>
      <td>${editable ? html`<button type="button" class="save-opinion">保存</button>` : ''}</td></tr>`;
  });
}

function decisionForm(m, item) {
  const units = m.attendance.map((a) => a.unit);
  return html`<form class="decide-form panel" data-case="${item.case_id}" novalidate>
    <h3>会议决定</h3>
    <div class="grid-fields">
      ${field({ name: 'decision', label: '决定', type: 'select', options: DECISIONS })}
      ${field({ name: 'amount', label: '救助金额（元）', value: item.proposed_amount, attrs: html`inputmode="decimal"` })}
    </div>
    <div class="when-approve">
      ${field({ name: 'measures', label: '救助措施（一案一策）', type: 'textarea', value: item.proposed_measures, wide: true })}
      <fieldset><legend>责任单位</legend><div class="unit-checks">
        ${units.map((u) => html`<label><input type="checkbox" name="unit" data-skip value="${u}"> ${u}</label>`)}</div>
        <div class="field-error" data-for="responsible_units" role="alert"></div></fieldset>
      <fieldset><legend>分期发放（不填则一次发放）</legend>
        <div class="stages">${[0, 1].map((n) => html`<div class="grid-fields">
          ${field({ name: `stages[${n}].month`, label: `第 ${n + 1} 期月份`, type: 'month', attrs: html`data-skip` })}
          ${field({ name: `stages[${n}].amount`, label: '金额（元）', attrs: html`data-skip inputmode="decimal"` })}</div>`)}</div>
        <div class="muted stage-sum"></div><div class="field-error" data-for="stages" role="alert"></div></fieldset>
    </div>
    <div class="when-reject" hidden>${field({ name: 'reasons', label: '不予救助的理由', type: 'textarea', wide: true })}</div>
    <div class="when-refer" hidden>${field({ name: 'programme', label: '转介的救助项目', hint: '如 临时救助（支出型）、医疗救助' })}</div>
    ${field({ name: 'minutes', label: '会议纪要', type: 'textarea', value: m.minutes, wide: true, required: '请填写会议纪要（没有会议纪要不能作出决定）', attrs: html`rows="6"` })}
    <div class="form-error" role="alert"></div>
    <button type="submit" class="primary">记录决定</button>
  </form>`;
}

function itemBlock(m, item, present) {
  const t = tallyOf(item.opinions, m.attendance);
  const met = majorityMet(t, present.length, m.majority.rule);
  return html`<article class="agenda-item panel" data-case="${item.case_id}">
    <h2>议题 ${item.position}：<a href="#/deliberation/${item.case_id}">${item.number}</a> ${item.head_name}
      <span class="muted">${item.township_name}${item.village_name}</span> <span class="state-badge">${item.state_label}</span></h2>
    <p class="pre">${item.special_matter}</p>
    <p>拟救助 ${item.proposed_amount} 元；${item.proposed_measures}</p>
    ${present.length ? html`<table class="grid opinions"><thead><tr><th>成员单位</th><th>意见</th><th>承诺措施</th><th>登记人／书面意见</th><th></th></tr></thead>
      <tbody>${opinionRows(m, item, present)}</tbody></table>` : html`<p class="muted">请先登记出席单位。</p>`}
    <p class="tally" aria-live="polite">${tallyText(t, present.length, met, m.majority.label)}</p>
    ${item.decision ? html`<p class="banner ok">已决定：${decisionText(item)}</p>`
      : (m.can_record ? decisionForm(m, item) : '')}
  </article>`;
}

export async function meetingPage(root, { params }) {
  const id = Number(params.id);
  let m = await call('meeting.get', { id });
  document.title = `协调会议 ${m.held_on} - 兜底`;

  function draw(focusSel) {
    const present = m.attendance.filter((a) => a.status === 'present');
    const q = quorumStatus(m.attendance, m.quorum.rule);
    render(root, html`<section class="page meeting-page">
      <div class="page-head"><h1>一事一议协调会议 <span class="state-badge">${m.state_label}</span></h1>
        <div class="actions">
          ${m.can_record ? html`<button type="button" id="meeting-add">添加议题</button>
            <button type="button" id="meeting-close">结束会议</button>` : ''}
          <button type="button" id="meeting-print">打印会议纪要</button></div></div>
      <div class="facts">
        <div class="fact"><span class="muted">日期</span><div>${m.held_on}</div></div>
        <div class="fact"><span class="muted">地点</span><div>${m.place}</div></div>
        <div class="fact"><span class="muted">主持人</span><div>${m.chair}</div></div>
        <div class="fact"><span class="muted">记录人</span><div>${m.recorder}</div></div>
        <div class="fact"><span class="muted">表决规则</span><div>法定人数须${m.quorum.label}；同意的须${m.majority.label}</div></div>
      </div>
      ${quorumBanner(q, m.quorum.label)}
      <div class="panel"><h2>出席情况</h2>
        <div class="attendance" id="attendance">${m.attendance.map((a) => html`<label class="unit-check">
          <input type="checkbox" data-unit="${a.unit}" ${a.status === 'present' ? 'checked' : ''} ${m.can_record ? '' : 'disabled'}>
          ${a.unit}<span class="muted">${a.status === 'absent' ? '（缺席）' : ''}</span></label>`)}</div>
        ${m.can_record ? html`<p class="muted small">勾选表示出席，取消勾选表示缺席。空格键勾选，Tab 键移到下一单位。</p>` : ''}
      </div>
      ${m.items.length ? m.items.map((it) => itemBlock(m, it, present)) : html`<p class="muted">议程上还没有案件。</p>`}
      <div class="panel minutes"><h2>会议纪要</h2><p class="pre">${m.minutes || '（尚未记录）'}</p>
        <p class="muted">出席单位：${present.map((a) => a.unit).join('、') || '无'}；缺席单位：${m.attendance.filter((a) => a.status !== 'present').map((a) => a.unit).join('、') || '无'}</p></div>
    </section>`);
    wire();
    const el = focusSel && root.querySelector(focusSel);
    if (el) el.focus();
  }

  async function refresh(promise, focusSel, message) {
    try {
      m = await promise;
      draw(focusSel);
      if (message) toast(message);
    } catch (err) {
      toast(err.message, 'error');
      throw err;
    }
  }

  function wire() {
    root.querySelector('#meeting-print').addEventListener('click', () => window.print());
    for (const box of root.querySelectorAll('#attendance input')) {
      box.addEventListener('change', () => {
        const unit = box.dataset.unit;
        refresh(call('meeting.attendance', { meeting_id: id, unit, status: box.checked ? 'present' : 'absent' }),
          `#attendance input[data-unit="${CSS.escape(unit)}"]`).catch(() => {});
      });
    }
    for (const block of root.querySelectorAll('.agenda-item')) {
      const caseId = Number(block.dataset.case);
      const item = m.items.find((i) => i.case_id === caseId);
      const tallyBox = block.querySelector('.tally');
      // The tally follows the selections as they are made; 保存 records them.
      const live = () => {
        const opinions = [...block.querySelectorAll('tbody tr[data-unit]')].map((tr) => {
          const sel = tr.querySelector('select');
          const saved = item.opinions.find((o) => o.unit === tr.dataset.unit);
          return { unit: tr.dataset.unit, opinion: sel ? sel.value : (saved && saved.opinion) };
        }).filter((o) => o.opinion);
        const present = m.attendance.filter((a) => a.status === 'present').length;
        const t = tallyOf(opinions, m.attendance);
        render(tallyBox, tallyText(t, present, majorityMet(t, present, m.majority.rule), m.majority.label));
      };
      for (const sel of block.querySelectorAll('select[name=opinion]')) sel.addEventListener('change', live);
      for (const tr of block.querySelectorAll('tbody tr[data-unit]')) {
        const save = tr.querySelector('.save-opinion');
        if (!save) continue;
        const run = () => {
          const opinion = tr.querySelector('select').value;
          if (!opinion) { toast(`请选择${tr.dataset.unit}的意见`, 'error'); return; }
          const paper = tr.querySelector('input[name=paper_opinion_ref]');
          refresh(call('meeting.opinion', { meeting_id: id, case_id: caseId, unit: tr.dataset.unit, opinion,
            commitment: tr.querySelector('input[name=commitment]').value, paper_opinion_ref: paper ? paper.value : '' }),
          `.agenda-item[data-case="${caseId}"] tr[data-unit="${CSS.escape(tr.dataset.unit)}"] select`, `已记录${tr.dataset.unit}的意见`).catch(() => {});
        };
        save.addEventListener('click', run);
        tr.querySelector('input[name=commitment]').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
      }
      const form = block.querySelector('.decide-form');
      if (form) wireDecision(form, caseId);
    }
    const add = root.querySelector('#meeting-add');
    if (add) add.addEventListener('click', addItem);
    const close = root.querySelector('#meeting-close');
    if (close) close.addEventListener('click', closeMeeting);
  }

  function wireDecision(form, caseId) {
    const show = () => {
      const d = form.elements.decision.value;
      form.querySelector('.when-approve').hidden = d !== 'approve';
      form.querySelector('.when-reject').hidden = d !== 'reject';
      form.querySelector('.when-refer').hidden = d !== 'refer';
      form.elements.amount.closest('.field').hidden = d !== 'approve';
    };
    const sum = () => {
      const amounts = [0, 1].map((n) => form.elements[`stages[${n}].amount`].value).filter((v) => v.trim());
      const total = amounts.length ? sumFen(amounts) : null;
      form.querySelector('.stage-sum').textContent = total === null ? '' : `各期合计 ${yuan(total)} 元`;
    };
    form.elements.decision.addEventListener('change', show);
    form.addEventListener('input', sum);
    show();
    onSubmit(form, async (input) => {
      const body = { meeting_id: id, case_id: caseId, decision: input.decision, minutes: input.minutes };
      if (input.decision === 'approve') {
        body.amount = input.amount;
        body.measures = input.measures;
        body.responsible_units = [...form.querySelectorAll('input[name=unit]:checked')].map((b) => b.value);
        body.stages = [0, 1].map((n) => ({
          month: form.elements[`stages[${n}].month`].value.trim(),
          amount: form.elements[`stages[${n}].amount`].value.trim(),
        })).filter((s) => s.month || s.amount);
      } else if (input.decision === 'reject') body.reasons = input.reasons;
      else body.programme = input.programme;
      // The decision is taken on the agenda, attendance and opinions shown: if they changed since
      // (another unit's opinion, another recorder), 刷新 redraws them and keeps what was typed.
      body.expected_version = m.version;
      await refreshOnConflict(call('meeting.decide', body), async () => {
        const typed = [...form.elements].filter((el) => el.name).map((el) => [el.name, el.value, el.checked]);
        m = await call('meeting.get', { id });
        draw();
        const again = root.querySelector(`.agenda-item[data-case="${caseId}"] .decide-form`);
        if (!again) return;
        for (const [name, value, checked] of typed) {
          const el = [...again.elements].find((e) => e.name === name && (e.type !== 'checkbox' || e.value === value));
          if (!el) continue;
          if (el.type === 'checkbox') el.checked = checked;
          else el.value = value;
        }
        again.elements.decision.dispatchEvent(new Event('change'));
      });
      m = await call('meeting.get', { id });
      draw(`.agenda-item[data-case="${caseId}"] h2 a`);
      toast('已记录会议决定');
    });
  }

  async function addItem() {
    const r = await call('deliberation.list', { state: 'reviewed' });
    if (!r.cases.length) { toast('没有等待列入议程的案件（县局已审查的案件）', 'error'); return; }
    const done = await openDialog({
      title: '添加议题', submitLabel: '列入议程',
      body: field({ name: 'case_id', label: '县局已审查的案件', type: 'select', dtype: 'int',
        options: r.cases.map((c) => ({ code: c.id, label: `${c.number} ${c.head_name}（${c.township_name}）${c.special_matter.slice(0, 20)}` })) }),
      run: (input, form) => refreshOnConflict(
        call('meeting.add_item', { meeting_id: id, case_id: input.case_id, expected_version: m.version }),
        async () => { form.closest('dialog').close(); m = await call('meeting.get', { id }); draw(); }),
    });
    if (done) { m = done; draw(); toast('已列入议程'); }
  }

  async function closeMeeting() {
    const undecided = m.items.filter((i) => i.decision === null).length;
    const done = await openDialog({
      title: '结束会议', submitLabel: '结束会议', danger: undecided > 0,
      body: html`${undecided ? html`<p class="banner error">还有 ${undecided} 个议题未作决定，结束后将移出议程，等待下次会议。</p>` : ''}
        ${field({ name: 'minutes', label: '会议纪要', type: 'textarea', value: m.minutes, wide: true, required: '请填写会议纪要', attrs: html`rows="8"` })}`,
      run: (input, form) => refreshOnConflict(
        call('meeting.close', { id, minutes: input.minutes, expected_version: m.version }),
        async () => { form.closest('dialog').close(); m = await call('meeting.get', { id }); draw(); }),
    });
    if (done) { m = done; draw(); toast('会议已结束'); }
  }

  draw();
}
