// 选择数据库 at the very first run (本机数据库 or 连接县级服务器), 登录, and on an empty database 首次使用: create the county and the first administrator; 请设置新密码
// after signing in with a password the administrator set (a reset or a new account).

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit } from '../../lib/forms.js';
import { session } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';
import { connectionForm } from '../../components/connection/connection.js';

loadStyle(new URL('./signin.css', import.meta.url));

/** Sign-in form; `done()` runs once the server has signed the user in. */
export function showSignIn(root, { done, notice = '' }) {
  document.title = '登录 - 兜底';
  render(root, html`
    <div class="signin-wrap">
      <form class="signin card" id="signin-form" novalidate>
        <h1><span class="brand-mark">兜底</span> 社会救助信息系统</h1>
        <p class="signin-county">${session.countyName}</p>
        ${notice ? html`<p class="notice">${notice}</p>` : ''}
        ${field({ id: 'signin-username', name: 'username', label: '用户名', required: '请填写用户名', autocomplete: 'username', attrs: html`autofocus autocapitalize="off" spellcheck="false"` })}
        ${field({ id: 'signin-password', name: 'password', label: '密码', type: 'password', required: '请填写密码', autocomplete: 'current-password' })}
        <div class="form-error" role="alert"></div>
        <button type="submit" class="primary block" id="signin-submit">登录</button>
      </form>
    </div>
  `);
  const form = root.querySelector('form');
  onSubmit(form, async (input) => {
    await call('auth.sign_in', input);
    await done();
  });
  form.elements.username.focus();
}

/** First run: the county and the administrator, who is then signed in. */
export function showSetup(root, { done }) {
  document.title = '首次使用 - 兜底';
  render(root, html`
    <div class="signin-wrap">
      <form class="signin setup card" id="setup-form" novalidate>
        <h1><span class="brand-mark">兜底</span> 首次使用</h1>
        <p class="muted">这个数据库还没有用户。请填写本县（区）的名称和区划代码，并创建第一位管理员。</p>
        <fieldset>
          <legend>县（区）</legend>
          ${field({ name: 'county_name', label: '县（区）名称', required: '请填写县（区）名称', attrs: html`autofocus placeholder="如 中牟县"` })}
          ${field({ name: 'county_code', label: '县级行政区划代码', required: '请填写 6 位区划代码', attrs: html`maxlength="6" inputmode="numeric" placeholder="如 410122"` })}
        </fieldset>
        <fieldset>
          <legend>管理员</legend>
          ${field({ name: 'display_name', label: '姓名', required: '请填写管理员姓名' })}
          ${field({ name: 'username', label: '用户名', required: '请填写用户名', autocomplete: 'username', hint: '2–32 位字母、数字、下划线、点或连字符', attrs: html`autocapitalize="off" spellcheck="false"` })}
          ${field({ name: 'password', label: '密码', type: 'password', required: '请设置密码', autocomplete: 'new-password', hint: '至少 8 位，不能全是数字' })}
          ${field({ name: 'confirm', label: '再次输入密码', type: 'password', required: '请再次输入密码', autocomplete: 'new-password', attrs: html`data-skip` })}
        </fieldset>
        <div class="form-error" role="alert"></div>
        <button type="submit" class="primary block" id="setup-submit">创建并登录</button>
      </form>
    </div>
  `);
  const form = root.querySelector('form');
  onSubmit(form, async (input) => {
    if (form.elements.confirm.value !== input.password) {
      throw { field: 'confirm', message: '两次输入的密码不一致' };
    }
    await call('auth.setup', input);
    await done();
  });
  form.elements.county_name.focus();
}

/**
 * The user signed in with a password the administrator set: nothing else until they set their
 * own (the server refuses every other command meanwhile). `done()` after the change.
 */
export function showSetPassword(root, { done, signOut }) {
  document.title = '请设置新密码 - 兜底';
  render(root, html`
    <div class="signin-wrap">
      <form class="signin card" id="set-password-form" novalidate>
        <h1><span class="brand-mark">兜底</span> 请设置新密码</h1>
        <p class="notice">${session.user.display_name}，您的密码是管理员设定的临时密码，只能用于这一次登录。请设置一个只有您自己知道的新密码，之后才能办理其他事项。</p>
        ${field({ id: 'set-password-old', name: 'old_password', label: '管理员给您的临时密码', type: 'password', required: '请填写临时密码', autocomplete: 'current-password', attrs: html`autofocus` })}
        ${field({ id: 'set-password-new', name: 'new_password', label: '新密码', type: 'password', required: '请填写新密码', autocomplete: 'new-password', hint: '至少 8 位，不能全是数字，不能与临时密码相同' })}
        ${field({ id: 'set-password-confirm', name: 'confirm', label: '再次输入新密码', type: 'password', required: '请再次输入新密码', autocomplete: 'new-password', attrs: html`data-skip` })}
        <div class="form-error" role="alert"></div>
        <button type="submit" class="primary block" id="set-password-submit">设置新密码</button>
        <button type="button" class="block link" id="set-password-sign-out">退出登录</button>
      </form>
    </div>
  `);
  const form = root.querySelector('form');
  onSubmit(form, async (input) => {
    if (form.elements.confirm.value !== input.new_password) {
      throw { field: 'confirm', message: '两次输入的新密码不一致' };
    }
    await call('auth.change_password', input);
    await done();
  });
  root.querySelector('#set-password-sign-out').addEventListener('click', () => signOut());
  form.elements.old_password.focus();
}

/** The first run (or a connection that cannot be used): where this desktop works. */
export function showChooseDatabase(root, { done, current = {} }) {
  document.title = '选择数据库 - 兜底';
  render(root, html`
    <div class="signin-wrap">
      <div class="signin setup card" id="choose-database">
        <h1><span class="brand-mark">兜底</span> 选择数据库</h1>
        <p class="muted">单独办公的乡镇或外出笔记本选“本机数据库”；全县联网办理（乡镇经办、审核与县级审批在不同电脑上）选“连接县级服务器”，地址和证书指纹向县信息中心索取。以后可在“本机信息”中更改。</p>
        <div id="choose-database-form"></div>
      </div>
    </div>
  `);
  const form = connectionForm(root.querySelector('#choose-database-form'), { current, saved: done, submitLabel: '确定' });
  form.elements.mode.focus();
}
