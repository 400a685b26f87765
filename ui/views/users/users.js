// 用户管理 (administrator): list, create, change name/role/unit/active, reset a password.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { session, areasAt } from '../../lib/session.js';
import { ROLES } from '../../lib/format.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./users.css', import.meta.url));

const TOWNSHIP_ROLES = ['caseworker', 'reviewer'];

/** The units a role may belong to: townships for township roles, the county otherwise. */
function unitsFor(role) {
  const level = TOWNSHIP_ROLES.includes(role) ? 'township' : 'county';
  return areasAt(level).map((a) => ({ code: a.id, label: a.name }));
}

/** Keep the unit select in step with the role select. */
function wireRoleUnit(form) {
  const role = form.elements.role;
  const unit = form.elements.area_id;
  role.addEventListener('change', () => {
    const keep = unit.value;
    const units = unitsFor(role.value);
    render(unit, html`${units.length > 1 ? html`<option value="">请选择</option>` : ''}${
      units.map((u) => html`<option value="${u.code}" ${String(u.code) === keep ? 'selected' : ''}>${u.label}</option>`)}`);
  });
}

export async function usersView(root) {
  document.title = '用户管理 - 兜底';
  let users = (await call('user.list')).users;

  function draw() {
    render(root, html`
      <section class="page">
        <div class="page-head"><h1>用户管理</h1>
          <div class="actions"><button type="button" class="primary" id="user-new">新增用户</button></div>
        </div>
        <table class="grid" id="users">
          <thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>所属单位</th><th>状态</th><th>操作</th></tr></thead>
          <tbody>${users.map((u) => html`<tr data-user-id="${u.id}" class="${u.active ? '' : 'inactive'}">
            <td class="mono">${u.username}</td><td class="strong">${u.display_name}</td><td>${u.role_label}</td>
            <td>${u.area_name}</td><td>${u.active ? (u.must_change_password ? html`启用 <span class="muted">（待本人设置新密码）</span>` : '启用') : html`<span class="muted">已停用</span>`}</td>
            <td class="row-actions">
              <button type="button" class="link" data-act="edit">修改</button>
              <button type="button" class="link" data-act="reset">重置密码</button>
            </td>
          </tr>`)}</tbody>
        </table>
      </section>
    `);
    root.querySelector('#user-new').addEventListener('click', create);
    root.querySelector('#users tbody').addEventListener('click', (e) => {
      const btn = e.target.closest('button[data-act]');
      if (!btn) return;
      const u = users.find((x) => String(x.id) === btn.closest('tr').dataset.userId);
      if (btn.dataset.act === 'edit') edit(u);
      else resetPassword(u);
    });
  }

  async function refresh(focusSel) {
    users = (await call('user.list')).users;
    draw();
    root.querySelector(focusSel)?.focus();
  }

  async function create() {
    const role = 'caseworker';
    const u = await openDialog({
      title: '新增用户', submitLabel: '创建',
      body: html`
        ${field({ name: 'display_name', label: '姓名', required: '请填写姓名', attrs: html`autofocus` })}
        ${field({ name: 'username', label: '用户名', required: '请填写用户名', hint: '登录用，2–32 位字母、数字、下划线、点或连字符', attrs: html`autocapitalize="off" spellcheck="false"` })}
        ${field({ name: 'role', label: '角色', type: 'select', value: role, options: ROLES })}
        ${field({ name: 'area_id', label: '所属单位', type: 'select', blank: '请选择', options: unitsFor(role), dtype: 'int', required: '请选择所属单位' })}
        ${field({ name: 'password', label: '初始密码', type: 'password', required: '请设置初始密码', autocomplete: 'new-password', hint: '至少 8 位，不能全是数字；只能登录一次，本人首次登录后须设置自己的新密码' })}
      `,
      setup: wireRoleUnit,
      run: (input) => call('user.create', input),
    });
    if (u) {
      toast(`已创建用户 ${u.username}`);
      refresh(`tr[data-user-id="${u.id}"] [data-act="edit"]`);
    }
  }

  async function edit(u) {
    const saved = await openDialog({
      title: `修改用户：${u.username}`, submitLabel: '保存',
      body: html`
        ${field({ name: 'display_name', label: '姓名', value: u.display_name, required: '请填写姓名', attrs: html`autofocus` })}
        ${field({ name: 'role', label: '角色', type: 'select', value: u.role, options: ROLES })}
        ${field({ name: 'area_id', label: '所属单位', type: 'select', value: u.area_id, options: unitsFor(u.role), dtype: 'int', required: '请选择所属单位' })}
        ${field({ name: 'active', label: '启用（停用后不能登录）', type: 'checkbox', value: u.active })}
        ${u.id === session.user.id ? html`<p class="note muted">不能停用自己或取消自己的管理员角色。</p>` : ''}
      `,
      setup: wireRoleUnit,
      run: (input) => call('user.update', { id: u.id, ...input }),
    });
    if (saved) {
      toast('用户已保存');
      refresh(`tr[data-user-id="${u.id}"] [data-act="edit"]`);
    }
  }

  async function resetPassword(u) {
    const done = await openDialog({
      title: `重置密码：${u.display_name}（${u.username}）`, submitLabel: '重置',
      body: html`
        ${field({ name: 'password', label: '临时密码', type: 'password', required: '请填写临时密码', autocomplete: 'new-password', wide: true, hint: '至少 8 位，不能全是数字；只能登录一次，用户登录后须设置自己的新密码', attrs: html`autofocus` })}
      `,
      run: (input) => call('user.reset_password', { id: u.id, ...input }),
    });
    if (done) {
      toast(`已重置 ${u.username} 的密码；其下次登录后须设置新密码`);
      refresh(`tr[data-user-id="${u.id}"] [data-act="reset"]`);
    }
  }

  draw();
  root.querySelector('#user-new').focus();
}
