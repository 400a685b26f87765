// 近亲属备案: the declared near relatives of township staff and village cadres. A household with a
// filed member is flagged on its cases: the declared person takes no step on them and the county
// checks the home before approving. Township reviewers and county staff file; the county withdraws.
// The relative's ID number is masked on screen and in print; county staff see it whole on hover.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { session, can, areasAt, ownTownship } from '../../lib/session.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { describeId } from '../../components/person-fields/person-fields.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./near-relatives.css', import.meta.url));

/** 4101**********0226: the first and last four characters, as the core's idcard::mask. */
export function maskId(id) {
  const s = String(id ?? '');
  if (s.length <= 8) return '*'.repeat(s.length);
  return s.slice(0, 4) + '*'.repeat(s.length - 8) + s.slice(-4);
}

/** Whether a filing matches a search: staff, relative, post, area or the ID's digits. */
export function filingMatches(f, q) {
  const t = String(q || '').trim().toUpperCase();
  if (!t) return true;
  return [f.staff_name, f.staff_post, f.area_name, f.relative_name, f.relation, f.relative_id_number]
    .some((v) => String(v ?? '').toUpperCase().includes(t));
}

/** The areas a filing may name: a township user's township and its villages; for the county,
 *  every township and village. Villages are labelled with their township. */
export function areaOptions(areas, township) {
  const towns = areas.filter((a) => a.level === 'township' && a.active !== false && (township == null || a.id === township));
  const out = [];
  for (const t of towns) {
    out.push({ code: t.id, label: t.name });
    for (const v of areas.filter((a) => a.level === 'village' && a.parent_id === t.id && a.active !== false)) {
      out.push({ code: v.id, label: `${t.name} · ${v.name}` });
    }
  }
  return out;
}

function statusCell(f) {
  if (!f.withdrawn_on) return html`<span class="nr-status open">有效</span>`;
  return html`<span class="nr-status withdrawn">已撤销</span>
    <div class="muted small">${f.withdrawn_on}${f.withdraw_reason ? html`：${f.withdraw_reason}` : ''}</div>`;
}

function row(f, { county, withdraw }) {
  return html`<tr data-id="${f.id}" class="${f.withdrawn_on ? 'withdrawn' : ''}">
    <td class="strong">${f.staff_name}${f.user_id ? html` <span class="muted small" title="系统用户">（用户）</span>` : ''}</td>
    <td>${f.staff_post}</td>
    <td>${f.area_name}</td>
    <td>${f.relative_name}</td>
    <td class="mono nowrap"${county ? html` title="${f.relative_id_number}"` : ''}>${maskId(f.relative_id_number)}</td>
    <td>${f.relation}</td>
    <td class="mono nowrap">${f.declared_on}</td>
    <td class="small">${f.recorded_by}<div class="muted">${f.recorded_at}</div></td>
    <td>${statusCell(f)}</td>
    <td class="row-actions no-print">
      ${f.household_id ? html`<a href="#/households/${f.household_id}">查看家庭</a>` : html`<span class="muted small">未在册</span>`}
      ${withdraw && !f.withdrawn_on ? html`<button type="button" class="link danger" data-act="withdraw">撤销</button>` : ''}
    </td>
  </tr>`;
}

export async function nearRelativesView(root) {
  document.title = '近亲属备案 - 兜底';
  const role = session.user.role;
  const county = role === 'approver' || role === 'admin';
  const mayFile = can('fileNearRelative');
  const mayWithdraw = can('withdrawNearRelative');
  let data = await call('near_relative.list');
  let filter = '';

  render(root, html`
    <section class="page near-relatives" id="near-relatives-page">
      <div class="page-head"><h1>近亲属备案</h1>
        <div class="actions">
          ${mayFile ? html`<button type="button" class="primary" id="nr-new">登记备案</button>` : ''}
          <button type="button" id="nr-print">打印</button>
        </div>
      </div>
      <p class="muted">经办人员和村（居）委会成员的近亲属申请救助时须备案。备案对象所在家庭的案件自动标记：备案人不得经办、调查或审核，县级审批前须入户核查。${
        mayFile ? '' : '登记备案由乡镇审核人或县级人员办理。'}${mayWithdraw ? '' : '撤销备案由县级审批人或管理员办理。'}</p>
      <form class="filterbar no-print" id="nr-filter" novalidate>
        ${field({ name: 'q', label: '查找', type: 'search', id: 'nr-q', attrs: html`placeholder="姓名、职务、区划或身份证号" data-skip` })}
        <span class="muted" id="nr-count"></span>
      </form>
      <div id="nr-table"></div>
    </section>
  `);
  const box = root.querySelector('#nr-table');

  function draw() {
    const rows = data.filings.filter((f) => filingMatches(f, filter));
    const open = data.filings.filter((f) => !f.withdrawn_on).length;
    root.querySelector('#nr-count').textContent = `有效 ${open} 条，已撤销 ${data.filings.length - open} 条`;
    if (!data.filings.length) {
      render(box, html`<p class="muted" id="nr-empty">还没有近亲属备案。</p>`);
      return;
    }
    if (!rows.length) {
      render(box, html`<p class="muted">没有符合“${filter}”的备案。</p>`);
      return;
    }
    render(box, html`<table class="grid nr-table" id="nr-filings">
      <thead><tr><th>备案人</th><th>职务</th><th>所在区划</th><th>近亲属</th><th>身份证号</th><th>关系</th>
        <th>备案日期</th><th>登记人</th><th>状态</th><th class="no-print">操作</th></tr></thead>
      <tbody>${rows.map((f) => row(f, { county, withdraw: mayWithdraw }))}</tbody>
    </table>`);
  }

  async function reload(focusId) {
    data = await call('near_relative.list');
    draw();
    const tr = focusId && box.querySelector(`tr[data-id="${focusId}"]`);
    if (tr) (tr.querySelector('[data-act]') || tr.querySelector('a') || tr).focus();
  }

  draw();
  root.querySelector('#nr-q').addEventListener('input', (e) => {
    filter = e.target.value;
    draw();
  });
  root.querySelector('#nr-filter').addEventListener('submit', (e) => e.preventDefault());
  root.querySelector('#nr-print').addEventListener('click', () => window.print());
  if (mayFile) root.querySelector('#nr-new').addEventListener('click', file);
  box.addEventListener('click', (e) => {
    const btn = e.target.closest('button[data-act="withdraw"]');
    if (!btn) return;
    withdraw(data.filings.find((f) => String(f.id) === btn.closest('tr').dataset.id));
  });
  (root.querySelector('#nr-new') || root.querySelector('#nr-q')).focus();

  async function file() {
    // Only the administrator may list users; everyone else names the person.
    const users = can('admin') ? (await call('user.list')).users.filter((u) => u.active) : null;
    const areas = areaOptions(session.areas || [], ownTownship());
    const userOptions = (users || []).map((u) => ({ code: u.id, label: `${u.display_name}（${u.role_label}，${u.area_name}）` }));
    const relations = data.relations.map((r) => ({ code: r, label: r }));
    const saved = await openDialog({
      title: '登记近亲属备案', submitLabel: '登记', wide: true,
      body: html`
        ${users ? html`<fieldset class="nr-who wide">
          <legend>备案人</legend>
          <label><input type="radio" name="staff_kind" value="user" data-skip checked> 系统用户</label>
          <label><input type="radio" name="staff_kind" value="name" data-skip> 村干部等非系统用户</label>
        </fieldset>
        ${field({ name: 'user_id', label: '备案人（系统用户）', type: 'select', blank: '请选择', options: userOptions, dtype: 'int', required: '请选择备案的系统用户', id: 'nr-user', attrs: html`autofocus` })}
        ${field({ name: 'staff_name', label: '备案人姓名', required: '请填写备案人姓名', id: 'nr-staff-name', attrs: html`disabled` })}`
        : field({ name: 'staff_name', label: '备案人姓名', required: '请填写备案人姓名', id: 'nr-staff-name', hint: '乡镇工作人员或村（居）委会成员', attrs: html`autofocus` })}
        ${field({ name: 'staff_post', label: '职务', required: '请填写备案人职务', id: 'nr-post', attrs: html`placeholder="如 村委会主任、乡镇经办人" maxlength="40"` })}
        ${field({ name: 'area_id', label: '所在区划', type: 'select', blank: areas.length > 1 ? '请选择' : undefined, options: areas, dtype: 'int', required: '请选择备案人所在的乡镇或村', id: 'nr-area' })}
        ${field({ name: 'relative_name', label: '近亲属姓名', required: '请填写近亲属姓名', id: 'nr-rel-name' })}
        ${field({ name: 'relative_id_number', label: '近亲属身份证号', required: '请填写近亲属身份证号', hint: '', id: 'nr-rel-id', attrs: html`maxlength="18" spellcheck="false" class="mono"` })}
        ${field({ name: 'relation', label: '关系', type: 'select', blank: '请选择', options: relations, required: '请选择与备案人的关系', id: 'nr-relation' })}
        ${field({ name: 'declared_on', label: '备案日期', type: 'date', value: today(), hint: '不填为今天', id: 'nr-declared' })}
      `,
      setup: (form) => wireFileForm(form, users),
      run: (input) => call('near_relative.file', input),
    });
    if (saved) {
      toast(`已登记备案：${saved.staff_name} 的${saved.relation} ${saved.relative_name}${saved.household_id ? '，其家庭的案件已标记' : ''}`);
      await reload(saved.id);
    }
  }

  /** The staff choice (administrator), the user's post and area filled in, the ID checked on blur. */
  function wireFileForm(form, users) {
    const els = form.elements;
    if (users) {
      const pick = () => {
        const byUser = form.querySelector('input[name="staff_kind"]:checked').value === 'user';
        els.user_id.disabled = !byUser;
        els.staff_name.disabled = byUser;
        els.user_id.closest('.field').hidden = !byUser;
        els.staff_name.closest('.field').hidden = byUser;
      };
      form.querySelector('.nr-who').addEventListener('change', () => {
        pick();
        (els.user_id.disabled ? els.staff_name : els.user_id).focus();
      });
      pick();
      els.user_id.addEventListener('change', () => {
        const u = users.find((x) => String(x.id) === els.user_id.value);
        if (!u) return;
        if (!els.staff_post.value.trim()) els.staff_post.value = u.role_label;
        if (!els.area_id.value && [...els.area_id.options].some((o) => o.value === String(u.area_id))) {
          els.area_id.value = String(u.area_id);
        }
      });
    }
    const idInput = els.relative_id_number;
    const hint = form.querySelector('.field-hint[data-for="relative_id_number"]');
    const error = form.querySelector('.field-error[data-for="relative_id_number"]');
    idInput.addEventListener('input', () => (hint.textContent = ''));
    idInput.addEventListener('blur', async () => {
      const value = idInput.value.trim();
      hint.textContent = '';
      if (!value) return;
      try {
        const r = await call('id.check', { id_number: value });
        if (idInput.value.trim() !== value) return;
        error.textContent = '';
        idInput.removeAttribute('aria-invalid');
        const e = r.existing;
        const where = e && e.household_id ? `。现为户编号 ${e.household_id} 的在册成员（登记名 ${e.name}），备案后该户的案件将标记`
          : '。尚未登记在任何家庭';
        hint.textContent = describeId(r) + where;
        if (e && e.name && !els.relative_name.value.trim()) els.relative_name.value = e.name;
      } catch (err) {
        if (idInput.value.trim() !== value) return;
        error.textContent = err.message;
        idInput.setAttribute('aria-invalid', 'true');
      }
    });
  }

  async function withdraw(f) {
    const done = await openDialog({
      title: '撤销近亲属备案', submitLabel: '撤销', danger: true,
      body: html`
        <p class="dialog-message">撤销 ${f.staff_name}（${f.staff_post}）的${f.relation} ${f.relative_name} 的备案。备案记录保留并标明已撤销；已标记的案件仍保持标记。</p>
        ${field({ name: 'reason', label: '撤销原因', required: '请填写撤销原因', wide: true, id: 'nr-reason', attrs: html`placeholder="如 已离任、关系已解除" maxlength="100" autofocus` })}
      `,
      run: (input) => call('near_relative.withdraw', { id: f.id, ...input }),
    });
    if (done) {
      toast(`已撤销 ${done.relative_name} 的备案`);
      await reload(f.id);
    }
  }
}
