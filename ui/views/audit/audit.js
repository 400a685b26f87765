// 审计 (administrator, county approver): check the hash chain, read the trail.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { href } from '../../lib/router.js';
import { COMMAND_LABELS, ENTITY_LABELS, auditChanges, showValue } from '../../lib/format.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./audit.css', import.meta.url));

const ENTITIES = Object.entries(ENTITY_LABELS).map(([code, label]) => ({ code, label }));
const LIMITS = [100, 300, 1000].map((n) => ({ code: n, label: `最近 ${n} 条` }));

function verdict(v) {
  if (v.intact) {
    return html`<p class="banner ok" id="audit-verdict">审计链完整：共 ${v.rows} 条记录，逐条核验无篡改。
      <span class="mono small">末条摘要 ${v.head ?? '—'}</span></p>`;
  }
  return html`<p class="banner error" id="audit-verdict">审计链在第 ${v.broken_at} 条记录处断开：${v.message}。
    请立即停止录入，保留数据库文件，并联系管理员从备份核对。</p>`;
}

export async function auditView(root, { query }) {
  document.title = '审计 - 兜底';
  const entity = query.get('entity') || '';
  const entityId = query.get('id') || '';
  const limit = Number(query.get('limit')) || 100;
  render(root, html`
    <section class="page">
      <div class="page-head"><h1>审计</h1></div>
      <div id="audit-verdict-box"><p class="muted">正在核验审计链…</p></div>
      <form class="filterbar" id="audit-filter" novalidate>
        ${field({ name: 'entity', label: '对象', type: 'select', value: entity, blank: '全部', options: ENTITIES })}
        ${field({ name: 'entity_id', label: '编号', value: entityId, dtype: 'int', attrs: html`inputmode="numeric" size="8"` })}
        ${field({ name: 'limit', label: '条数', type: 'select', value: limit, options: LIMITS, dtype: 'int' })}
        <button type="submit">查询</button>
        <div class="form-error" role="alert"></div>
      </form>
      <div id="audit-rows"></div>
    </section>
  `);
  const form = root.querySelector('#audit-filter');
  const rowsBox = root.querySelector('#audit-rows');

  async function load(input) {
    render(rowsBox, html`<p class="muted">正在读取…</p>`);
    try {
      const r = await call('audit.list', input);
      render(rowsBox, r.rows.length ? html`<table class="grid" id="audit-table">
        <thead><tr><th class="num">序号</th><th>时间</th><th>操作人</th><th>操作</th><th>对象</th><th>内容</th></tr></thead>
        <tbody>${r.rows.map((row) => html`<tr>
          <td class="num">${row.id}</td><td class="nowrap">${row.at}</td><td>${row.user_name}</td>
          <td class="nowrap">${COMMAND_LABELS[row.command] || row.command}</td>
          <td class="nowrap">${row.entity === 'household' && row.entity_id
            ? html`<a href="#/households/${row.entity_id}">家庭 ${row.entity_id}</a>`
            : html`${ENTITY_LABELS[row.entity] || row.entity} ${row.entity_id ?? ''}`}</td>
          <td>${auditChanges(row.before, row.after, showValue).map((l) => html`<div>${l}</div>`)}</td>
        </tr>`)}</tbody>
      </table>` : html`<p class="muted">没有记录。</p>`);
    } catch (err) {
      render(rowsBox, html`<p class="error">${err.message}</p>`);
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = form.elements;
    const input = { limit: Number(f.limit.value) };
    const idText = f.entity_id.value.trim();
    if (f.entity.value || idText) {
      if (!f.entity.value || !/^\d+$/.test(idText)) {
        form.querySelector('.form-error').textContent = '按对象查询时，请同时选择对象并填写编号（数字）';
        return;
      }
      input.entity = f.entity.value;
      input.entity_id = Number(idText);
    }
    form.querySelector('.form-error').textContent = '';
    history.replaceState(null, '', href('/audit', { entity: input.entity, id: input.entity_id, limit: input.limit === 100 ? '' : input.limit }));
    load(input);
  });

  call('audit.verify').then(
    (v) => render(root.querySelector('#audit-verdict-box'), verdict(v)),
    (err) => render(root.querySelector('#audit-verdict-box'), html`<p class="banner error">${err.message}</p>`),
  );
  form.requestSubmit();
}
