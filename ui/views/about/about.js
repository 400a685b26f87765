// 本机信息: which database or county server this window works on, its schema version and what it
// holds; where to change the connection (本机数据库 / 连接县级服务器).

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { session } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';
import { link, loadLink, statusText } from '../../lib/link.js';
import { connectionForm } from '../../components/connection/connection.js';

loadStyle(new URL('./about.css', import.meta.url));

export async function aboutView(root) {
  document.title = '本机信息 - 兜底';
  const [i] = await Promise.all([call('system.info'), loadLink()]);
  const server = link.mode === 'server';
  render(root, html`
    <section class="page about">
      <div class="page-head"><h1>本机信息</h1></div>
      <dl class="facts" id="system-info">
        <div class="fact"><dt>县（区）</dt><dd>${session.countyName}</dd></div>
        <div class="fact"><dt>当前用户</dt><dd>${session.user.display_name}（${session.user.role_label}，${session.user.area_name}）</dd></div>
        <div class="fact"><dt>程序版本</dt><dd>${i.app_version}</dd></div>
        <div class="fact"><dt>数据库版本</dt><dd>${i.schema_version}</dd></div>
        <div class="fact wide"><dt>连接方式</dt><dd id="about-connection">${statusText(link)}</dd></div>
        <div class="fact wide"><dt>${server ? '服务器上的数据库文件' : '数据库文件'}</dt><dd class="mono">${i.path ?? '（内存数据库）'}</dd></div>
        <div class="fact"><dt>家庭数</dt><dd>${i.households}</dd></div>
        <div class="fact"><dt>人员数</dt><dd>${i.persons}</dd></div>
      </dl>
      <p class="muted">${server
        ? '数据保存在县级服务器上，由县信息中心负责备份；本机只保存连接设置，不保存登录凭据。'
        : '数据只保存在上面的数据库文件中。请按单位规定定期备份该文件。'}</p>
      <h2>更改连接方式</h2>
      ${link.fixed ? html`<p class="muted">本次启动已由启动参数指定数据库或服务器，不能在此更改。</p>` : html`<div id="about-connection-form"></div>`}
    </section>
  `);
  const slot = root.querySelector('#about-connection-form');
  if (slot) connectionForm(slot, { current: link, saved: () => location.reload() });
}
