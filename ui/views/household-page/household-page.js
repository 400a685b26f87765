// 家庭详情: the household's fields, its open members, membership history, income and assets,
// benefit calculations and audit trail, and the changes a caseworker makes here (edit,
// add/correct member, leave, death, change of head; income and assets on their own page).

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { session, can, label, choices } from '../../lib/session.js';
import { SEX, URBAN_RURAL, disability, place } from '../../lib/format.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { personFields, memberRelations, wireIdChecks } from '../../components/person-fields/person-fields.js';
import { toast } from '../../components/toast/toast.js';
import { financesBody } from '../../components/finances/finances.js';
import { mountBenefitCalc } from '../../components/benefit-calc/benefit-calc.js';
import { mountHouseholdCases } from '../../components/household-cases/household-cases.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./household-page.css', import.meta.url));

const dash = (v) => (v === null || v === undefined || v === '' ? html`<span class="muted">—</span>` : v);

function factsBlock(h, members, head) {
  const item = (k, v, cls = '') => html`<div class="fact ${cls}"><dt>${k}</dt><dd>${dash(v)}</dd></div>`;
  return html`<dl class="facts">
    ${item('户主', head ? head.name : html`<span class="error">无户主</span>`)}
    ${item('所在地', place(h))}
    ${item('城乡', URBAN_RURAL[h.urban_rural] || h.urban_rural)}
    ${item('户籍类别', label('hukou', h.hukou))}
    ${item('在册人数', `${members.length} 人`)}
    ${item('家庭住址', h.address, 'wide')}
    ${item('联系电话', h.phone)}
    ${item('开户银行', h.bank_name)}
    ${item('银行账号', h.bank_account, 'mono')}
    ${item('登记时间', h.created_at)}
    ${item('最近修改', h.updated_at)}
  </dl>`;
}

function membersTable(members, writable) {
  return html`<table class="grid" id="members">
    <thead><tr>
      <th>姓名</th><th>与户主关系</th><th>性别</th><th>身份证号</th><th class="num">年龄</th>
      <th>残疾</th><th>重病</th><th>劳动能力</th><th>自理能力</th><th>在读</th><th>就业</th><th>入户日期</th>
      ${writable ? html`<th class="no-print">操作</th>` : ''}
    </tr></thead>
    <tbody>${members.map((m) => html`<tr data-person-id="${m.person_id}">
      <td class="strong">${m.name}</td>
      <td>${label('relations', m.relation)}</td>
      <td>${SEX[m.sex]}</td>
      <td class="mono">${m.id_number}</td>
      <td class="num" title="出生日期 ${m.birth_date}">${m.age}</td>
      <td>${dash(disability(m))}</td>
      <td>${dash(m.serious_illness)}</td>
      <td>${label('labour_capacity', m.labour_capacity)}</td>
      <td>${label('self_care', m.self_care)}</td>
      <td>${dash(label('student', m.student))}</td>
      <td>${dash(label('employment', m.employment))}</td>
      <td>${m.joined_on}</td>
      ${writable ? html`<td class="row-actions no-print">
        <button type="button" class="link" data-act="edit">修改</button>
        <button type="button" class="link" data-act="leave">迁出</button>
        <button type="button" class="link" data-act="assess">自理评估</button>
        <button type="button" class="link danger" data-act="death">登记死亡</button>
      </td>` : ''}
    </tr>`)}</tbody>
  </table>`;
}

function historyTable(history) {
  if (!history.length) return html`<p class="muted" id="member-history">没有成员变动记录。</p>`;
  return html`<table class="grid" id="member-history">
    <thead><tr><th>姓名</th><th>原关系</th><th>性别</th><th>身份证号</th><th>入户日期</th><th>离开日期</th><th>原因</th><th>死亡日期</th></tr></thead>
    <tbody>${history.map((m) => html`<tr>
      <td>${m.name}</td><td>${label('relations', m.relation)}</td><td>${SEX[m.sex]}</td>
      <td class="mono">${m.id_number}</td><td>${m.joined_on}</td><td>${m.left_on}</td>
      <td>${label('leave_reasons', m.left_reason)}</td><td>${dash(m.death_date)}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** 操作记录: each row's action and change in words, as the core gives them (audit.list). */
function auditTable(rows) {
  if (!rows.length) return html`<p class="muted">没有操作记录。</p>`;
  return html`<table class="grid" id="household-audit">
    <thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>内容</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr>
      <td class="nowrap">${r.at}</td><td>${r.user_name}</td>
      <td class="nowrap">${r.action_label}</td>
      <td>${r.lines.map((line) => html`<div>${line}</div>`)}</td>
    </tr>`)}</tbody>
  </table>`;
}

export async function householdPage(root, { params, query }) {
  const id = Number(params.id);
  // The statement is read alongside; if it cannot be read, its section says why.
  const [household, finances] = await Promise.all([
    call('household.get', { id }),
    call('finances.get', { household_id: id }).catch((err) => {
      if (err.code === 'unauthenticated') throw err;
      return { error: err.message };
    }),
  ]);
  let view = household;
  const writable = can('writeRegistry');

  async function draw() {
    const h = view.household;
    const head = view.members.find((m) => m.relation === 'head');
    document.title = `${head ? head.name : '无户主'}户 - 兜底`;
    render(root, html`
      <section class="page" id="household-page" data-household-id="${h.id}">
        <div class="print-title">${session.countyName} 社会救助家庭信息表</div>
        <div class="page-head">
          <h1>${head ? html`<span id="household-head-name">${head.name}</span> 户` : '（无户主）'}
            <span class="muted">户编号 ${h.id}</span></h1>
          <div class="actions no-print">
            ${writable ? html`
              <a class="button" id="household-edit" href="#/households/${h.id}/edit">编辑家庭信息</a>
              <button type="button" id="member-add">增加成员</button>
              <button type="button" id="set-head" ${view.members.some((m) => m.relation !== 'head') ? '' : 'disabled'}>变更户主</button>` : ''}
            <button type="button" id="household-print">打印</button>
            <a class="button" href="${session.lastList}" id="back-to-list">返回列表</a>
          </div>
        </div>
        ${head ? '' : html`<p class="banner warn">本户目前没有户主${writable ? '，请用“变更户主”指定一位成员为户主' : ''}。</p>`}
        ${factsBlock(h, view.members, head)}
        <div id="cases-section"></div>
        <h2>在册成员 <span class="muted">${view.members.length} 人</span></h2>
        ${membersTable(view.members, writable)}
        <h2>成员变动历史</h2>
        ${historyTable(view.history)}
        <div id="finances-section">
          <div class="section-head"><h2>收入与财产</h2>
            ${writable ? html`<a class="button no-print" id="finances-edit" href="#/households/${h.id}/finances">编辑收入与财产</a>` : ''}
          </div>
          ${finances.error ? html`<p class="error">${finances.error}</p>` : financesBody(finances)}
        </div>
        <div id="benefit-section"></div>
        <div class="no-print" id="household-audit-block">
          <h2>操作记录</h2>
          <div id="household-audit-body"><p class="muted">正在读取…</p></div>
        </div>
        <p class="print-foot">打印时间：${new Date().toLocaleString('zh-CN', { hour12: false })}　打印人：${session.user.display_name}</p>
      </section>
    `);
    wire();
    mountBenefitCalc(root.querySelector('#benefit-section'), { householdId: id, members: view.members });
    mountHouseholdCases(root.querySelector('#cases-section'), { householdId: id });
    loadAudit();
  }

  async function loadAudit() {
    const body = root.querySelector('#household-audit-body');
    try {
      const r = await call('audit.list', { entity: 'household', entity_id: id, limit: 200 });
      if (body.isConnected) render(body, auditTable(r.rows));
    } catch (err) {
      if (body.isConnected) render(body, html`<p class="error">${err.message}</p>`);
    }
  }

  /** Run a command that returns the household view, then redraw. */
  async function change(name, input, done) {
    view = await call(name, { household_id: id, ...input });
    toast(done);
    return true;
  }

  async function afterDialog(ok, focusSel) {
    if (!ok) return;
    await draw();
    const el = focusSel && root.querySelector(focusSel);
    if (el) el.focus();
  }

  function member(personId) {
    return view.members.find((m) => String(m.person_id) === String(personId));
  }

  async function addMember() {
    const hasHead = view.members.some((m) => m.relation === 'head');
    const relations = hasHead ? memberRelations() : choices('relations');
    const ok = await openDialog({
      title: '增加成员', submitLabel: '增加', wide: true,
      body: html`
        ${personFields('', {}, { autofocus: true, relation: relations })}
        ${field({ name: 'joined_on', label: '入户日期', type: 'date', value: today() })}
      `,
      setup: wireIdChecks,
      run: (input) => change('member.add', input, '成员已增加'),
    });
    afterDialog(ok, '#member-add');
  }

  async function editMember(m) {
    const isHead = m.relation === 'head';
    const ok = await openDialog({
      title: `修改成员信息：${m.name}`, submitLabel: '保存', wide: true,
      body: html`
        ${personFields('', m, { relation: !isHead, autofocus: true })}
        <p class="note muted">出生日期和性别由身份证号得出。${isHead ? '更换户主请用“变更户主”。' : ''}</p>
      `,
      setup: wireIdChecks,
      run: (input) => change('member.update', { person_id: m.person_id, ...input }, '成员信息已保存'),
    });
    afterDialog(ok, `tr[data-person-id="${m.person_id}"] [data-act="edit"]`);
  }

  async function leave(m) {
    const reasons = choices('leave_reasons').filter((c) => c.code !== 'death');
    const ok = await openDialog({
      title: `成员迁出：${m.name}`, submitLabel: '办理迁出',
      body: html`
        <p class="dialog-message">${m.name}（${label('relations', m.relation)}）将从在册成员移入成员变动历史。</p>
        ${field({ name: 'left_on', label: '迁出日期', type: 'date', value: today(), required: '请填写迁出日期', attrs: html`autofocus` })}
        ${field({ name: 'reason', label: '原因', type: 'select', value: 'moved_out', options: reasons })}
      `,
      run: (input) => change('member.leave', { person_id: m.person_id, ...input }, `${m.name} 已迁出`),
    });
    afterDialog(ok, '#member-add');
  }

  /** The six-item self-care assessment: every item answered, the level follows on the server. */
  async function assess(m) {
    const items = [['eating', '吃饭'], ['dressing', '穿衣'], ['getting_up', '上下床'],
      ['toileting', '如厕'], ['walking_indoors', '室内行走'], ['bathing', '洗澡']];
    const can = [{ code: 'true', label: '能独立完成' }, { code: 'false', label: '不能独立完成' }];
    const ok = await openDialog({
      title: `自理能力评估：${m.name}`, submitLabel: '保存评估',
      body: html`
        <p class="dialog-message">六项都要评估：全部能独立完成为全自理，1–3 项不能为半护理，4 项及以上不能为全护理。</p>
        ${items.map(([code, name], n) => field({
          name: `items.${code}`, label: name, type: 'select', blank: '未评估', options: can, dtype: 'opt',
          attrs: n === 0 ? html`autofocus` : '',
        }))}
      `,
      run: (input) => {
        const answers = {};
        for (const [code] of items) {
          const v = input.items ? input.items[code] : null;
          answers[code] = v === 'true' ? true : v === 'false' ? false : null;
        }
        return change('member.assess_self_care', { person_id: m.person_id, items: answers }, `${m.name} 的自理能力评估已保存`);
      },
    });
    afterDialog(ok, `tr[data-person-id="${m.person_id}"] [data-act="assess"]`);
  }

  async function death(m) {
    const ok = await openDialog({
      title: `登记死亡：${m.name}`, submitLabel: '登记死亡', danger: true,
      body: html`
        <p class="dialog-message">登记后 ${m.name}（${m.id_number}）将移入成员变动历史，且不能再加入任何家庭。请核对死亡证明后再登记。</p>
        ${field({ name: 'death_date', label: '死亡日期', type: 'date', required: '请填写死亡日期', attrs: html`autofocus` })}
      `,
      run: (input) => change('member.death', { person_id: m.person_id, ...input }, `已登记 ${m.name} 死亡`),
    });
    afterDialog(ok, '#member-add');
  }

  async function setHead() {
    const head = view.members.find((m) => m.relation === 'head');
    const candidates = view.members.filter((m) => m.relation !== 'head')
      .map((m) => ({ code: m.person_id, label: `${m.name}（${label('relations', m.relation)}，${m.age} 岁）` }));
    const ok = await openDialog({
      title: '变更户主', submitLabel: '变更',
      body: html`
        ${field({ name: 'person_id', label: '新户主', type: 'select', blank: '请选择', options: candidates, dtype: 'int', required: '请选择新户主', wide: true })}
        ${head ? field({
          name: 'old_head_relation', label: `原户主 ${head.name} 与新户主的关系`, type: 'select', blank: '请选择',
          options: memberRelations(), required: '请选择原户主与新户主的关系', wide: true,
        }) : html`<p class="note muted">本户目前没有户主，不需要填写原户主的关系。</p>`}
        <p class="note muted">其他成员与户主的关系不会自动改变，变更后请逐一核对。</p>
      `,
      run: (input) => change('household.set_head', input, '户主已变更'),
    });
    afterDialog(ok, '#set-head');
  }

  function wire() {
    root.querySelector('#household-print').addEventListener('click', () => window.print());
    if (!writable) return;
    root.querySelector('#member-add').addEventListener('click', addMember);
    root.querySelector('#set-head').addEventListener('click', setHead);
    root.querySelector('#members tbody').addEventListener('click', (e) => {
      const btn = e.target.closest('button[data-act]');
      if (!btn) return;
      const m = member(btn.closest('tr').dataset.personId);
      if (btn.dataset.act === 'edit') editMember(m);
      else if (btn.dataset.act === 'leave') leave(m);
      else if (btn.dataset.act === 'assess') assess(m);
      else if (btn.dataset.act === 'death') death(m);
    });
  }

  await draw();
  root.querySelector('#household-page h1').setAttribute('tabindex', '-1');
  // Back from 编辑收入与财产: land where the caseworker left.
  const back = query && query.get('at') === 'finances' && root.querySelector('#finances-edit');
  if (back) {
    back.scrollIntoView({ block: 'center' });
    back.focus();
  } else root.querySelector('#household-page h1').focus();
}
