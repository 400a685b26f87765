// The frame around every signed-in screen: county, navigation by role, who is signed in,
// 修改密码 and 退出.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { session, can } from '../../lib/session.js';
import { openDialog } from '../dialog/dialog.js';
import { toast } from '../toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./shell.css', import.meta.url));

/** The links this user may follow: [path, label, more]. Daily work stays on the bar; the rest
 *  (`more`) sits under 更多, so the bar keeps one line on a 1280 px office screen. */
export function navLinks() {
  const links = [];
  if (can('queue')) links.push(['/queue', '待我处理']);
  if (can('readRegistry')) links.push(['/households', '家庭']);
  if (can('handleCases')) links.push(['/cases', '案件']);
  if (can('readRegistry')) links.push(['/temp-aid', '临时救助']);
  if (can('deliberation')) links.push(['/deliberation', '一事一议']);
  if (can('meetings')) links.push(['/meetings', '协调会议']);
  if (can('payments')) links.push(['/payments', '月度发放'], ['/reports', '统计报表']);
  if (can('readRegistry')) links.push(['/reserve-fund', '备用金', true]);
  links.push(['/standards', '保障标准', !can('admin')]);
  if (can('whatIf')) links.push(['/what-if', '政策测算', true]);
  if (can('ledgerImport')) links.push(['/ledger-import', '台账导入', true]);
  if (can('admin')) links.push(['/users', '用户管理'], ['/areas', '区划管理']);
  if (can('audit')) links.push(['/audit', '审计', !can('admin')]);
  if (can('nearRelatives')) links.push(['/near-relatives', '近亲属备案', true]);
  links.push(['/work-settings', '工作日历', true]);
  links.push(['/about', '本机信息', true]);
  return links;
}

/** Draw the frame into `root`; returns the element views render into. */
export function mountShell(root, { onSignOut }) {
  const u = session.user;
  render(root, html`
    <a class="skip-link" href="#view">跳到正文</a>
    <header class="topbar">
      <div class="brand"><span class="brand-mark">兜底</span><span class="county">${session.countyName}</span><span class="brand-sub">社会救助信息系统</span></div>
      <nav class="mainnav" aria-label="主导航">
        ${navLinks().filter((l) => !l[2]).map(([path, text]) => html`<a href="#${path}" data-path="${path}">${text}</a>`)}
        <details class="navmore" id="nav-more">
          <summary>更多</summary>
          <div class="navmore-menu">${navLinks().filter((l) => l[2]).map(([path, text]) => html`<a href="#${path}" data-path="${path}">${text}</a>`)}</div>
        </details>
      </nav>
      <div class="who">
        <span class="who-name" id="current-user">${u.display_name}</span>
        <span class="role-badge">${u.role_label}</span>
        <span class="who-area">${u.area_name}</span>
        <button type="button" class="link" id="change-password">修改密码</button>
        <button type="button" class="link" id="sign-out">退出</button>
      </div>
    </header>
    <main id="view" tabindex="-1"></main>
  `);
  const more = root.querySelector('#nav-more');
  // The 更多 menu closes once a section is chosen, on Escape, and on a click elsewhere.
  more.addEventListener('click', (e) => { if (e.target.closest('a')) more.open = false; });
  more.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && more.open) { more.open = false; more.querySelector('summary').focus(); }
  });
  document.addEventListener('click', (e) => { if (more.open && !more.contains(e.target)) more.open = false; });
  root.querySelector('#sign-out').addEventListener('click', onSignOut);
  root.querySelector('#change-password').addEventListener('click', changePassword);
  return root.querySelector('#view');
}

/** Mark the link of the current section. */
export function markCurrent(path) {
  for (const a of document.querySelectorAll('.mainnav a')) {
    const on = path === a.dataset.path || path.startsWith(a.dataset.path + '/');
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const more = document.querySelector('#nav-more');
  if (more) more.classList.toggle('current', !!more.querySelector('a[aria-current]'));
}

async function changePassword() {
  const done = await openDialog({
    title: '修改密码',
    submitLabel: '修改',
    body: html`
      ${field({ name: 'old_password', label: '原密码', type: 'password', required: '请填写原密码', wide: true, autocomplete: 'current-password' })}
      ${field({ name: 'new_password', label: '新密码', type: 'password', required: '请填写新密码', autocomplete: 'new-password', hint: '至少 8 位，不能全是数字' })}
      ${field({ name: 'confirm', label: '再次输入新密码', type: 'password', required: '请再次输入新密码', autocomplete: 'new-password', attrs: html`data-skip` })}
    `,
    run: async (input, form) => {
      if (form.elements.confirm.value !== input.new_password) {
        throw { field: 'confirm', message: '两次输入的新密码不一致' };
      }
      return call('auth.change_password', input);
    },
  });
  if (done) toast('密码已修改，下次登录请用新密码');
}
