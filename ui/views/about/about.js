// 本机信息: which database this window has open, its schema version and what it holds.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { session } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./about.css', import.meta.url));

export async function aboutView(root) {
  document.title = '本机信息 - 兜底';
  const i = await call('system.info');
  render(root, html`
    <section class="page about">
      <div class="page-head"><h1>本机信息</h1></div>
      <dl class="facts" id="system-info">
        <div class="fact"><dt>县（区）</dt><dd>${session.countyName}</dd></div>
        <div class="fact"><dt>当前用户</dt><dd>${session.user.display_name}（${session.user.role_label}，${session.user.area_name}）</dd></div>
        <div class="fact"><dt>程序版本</dt><dd>${i.app_version}</dd></div>
        <div class="fact"><dt>数据库版本</dt><dd>${i.schema_version}</dd></div>
        <div class="fact wide"><dt>数据库文件</dt><dd class="mono">${i.path ?? '（内存数据库）'}</dd></div>
        <div class="fact"><dt>家庭数</dt><dd>${i.households}</dd></div>
        <div class="fact"><dt>人员数</dt><dd>${i.persons}</dd></div>
      </dl>
      <p class="muted">数据只保存在上面的数据库文件中。请按单位规定定期备份该文件。</p>
    </section>
  `);
}
