// 审计 (administrator, county approver): check the hash chain, read the trail filtered by user,
// date range, case number, operation and kind of record, and export what is shown as .xlsx.
// Every word comes from the core: the operations and kinds from labels.get, each row's action,
// record and lines (the change in Chinese) from audit.list.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { href } from '../../lib/router.js';
import { saveDocument } from '../../components/documents/documents.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./audit.css', import.meta.url));

const LIMITS = [100, 300, 1000].map((n) => ({ code: n, label: `最近 ${n} 条` }));
const FILTERS = ['user', 'from', 'to', 'case_number', 'action', 'kind'];

function verdict(v) {
  if (v.intact) {
    return html`<p class="banner ok" id="audit-verdict">审计链完整：共 ${v.rows} 条记录，逐条核验无篡改。
      <span class="mono small">末条摘要 ${v.head ?? '—'}</span></p>`;
  }
  return html`<p class="banner error" id="audit-verdict">审计链在第 ${v.broken_at} 条记录处断开：${v.message}。
    请立即停止录入，保留数据库文件，并联系管理员从备份核对。</p>`;
}

/** One audit row's record: a household links to its page. */
export function recordCell(row) {
  if (row.entity === 'household' && row.entity_id) {
    return html`<a href="#/households/${row.entity_id}">${row.entity_label} ${row.entity_id}</a>`;
  }
  return html`${row.entity_label} ${row.entity_id ?? ''}`;
}

/** The rows as a table: 序号, 时间, 操作人, 操作, 对象, 内容 (one line per change). */
export function auditTable(rows) {
  if (!rows.length) return html`<p class="muted">没有符合条件的记录。</p>`;
  return html`<table class="grid" id="audit-table">
    <thead><tr><th class="num">序号</th><th>时间</th><th>操作人</th><th>操作</th><th>对象</th><th>内容</th></tr></thead>
    <tbody>${rows.map((row) => html`<tr>
      <td class="num">${row.id}</td><td class="nowrap">${row.at}</td><td>${row.user_name}</td>
      <td class="nowrap">${row.action_label}</td>
      <td class="nowrap">${recordCell(row)}</td>
      <td>${row.lines.map((l) => html`<div>${l}</div>`)}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** The filter form's values as the command's input (blank fields left out). */
export function filterInput(values) {
  const input = {};
  for (const k of FILTERS) {
    const v = String(values[k] ?? '').trim();
    if (v) input[k] = v;
  }
  const idText = String(values.entity_id ?? '').trim();
  if (values.entity || idText) {
    input.entity = values.entity;
    input.entity_id = Number(idText);
  }
  return input;
}

export async function auditView(root, { query }) {
  document.title = '审计 - 兜底';
  const q = (k) => query.get(k) || '';
  const limit = Number(query.get('limit')) || 100;
  const labels = await call('labels.get');
  const kinds = labels.entities;
  const actions = [...labels.actions].sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
  render(root, html`
    <section class="page">
      <div class="page-head"><h1>审计</h1></div>
      <div id="audit-verdict-box"><p class="muted">正在核验审计链…</p></div>
      <form class="filterbar" id="audit-filter" novalidate>
        ${field({ name: 'user', label: '操作人（用户名）', value: q('user'), attrs: html`size="10" autocomplete="off"` })}
        ${field({ name: 'from', label: '开始日期', type: 'date', value: q('from') })}
        ${field({ name: 'to', label: '结束日期', type: 'date', value: q('to') })}
        ${field({ name: 'case_number', label: '案件编号', value: q('case_number'), attrs: html`size="14" autocomplete="off"` })}
        ${field({ name: 'action', label: '操作', type: 'select', value: q('action'), blank: '全部', options: actions })}
        ${field({ name: 'kind', label: '对象类型', type: 'select', value: q('kind'), blank: '全部', options: kinds })}
        ${field({ name: 'entity', label: '对象', type: 'select', value: q('entity'), blank: '全部', options: kinds })}
        ${field({ name: 'entity_id', label: '对象编号', value: q('id'), attrs: html`inputmode="numeric" size="8"` })}
        ${field({ name: 'limit', label: '条数', type: 'select', value: limit, options: LIMITS, dtype: 'int' })}
        <button type="submit">查询</button>
        <button type="button" id="audit-export">导出 Excel</button>
        <div class="form-error" role="alert"></div>
      </form>
      <p class="muted" id="audit-filter-words"></p>
      <div id="audit-rows"></div>
    </section>
  `);
  const form = root.querySelector('#audit-filter');
  const rowsBox = root.querySelector('#audit-rows');
  const error = form.querySelector('.form-error');

  function current() {
    const f = form.elements;
    const values = Object.fromEntries([...FILTERS, 'entity', 'entity_id'].map((k) => [k, f[k].value]));
    const idText = values.entity_id.trim();
    if ((values.entity || idText) && (!values.entity || !/^\d+$/.test(idText))) {
      error.textContent = '按对象查询时，请同时选择对象并填写对象编号（数字）';
      return null;
    }
    if (values.from && values.to && values.to < values.from) {
      error.textContent = '结束日期早于开始日期，请改正日期范围';
      return null;
    }
    error.textContent = '';
    return filterInput(values);
  }

  async function load(input) {
    render(rowsBox, html`<p class="muted">正在读取…</p>`);
    try {
      const r = await call('audit.list', input);
      root.querySelector('#audit-filter-words').textContent = `${r.filter}：${r.rows.length} 条`;
      render(rowsBox, auditTable(r.rows));
    } catch (err) {
      render(rowsBox, html`<p class="error">${err.message}</p>`);
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = current();
    if (!input) return;
    input.limit = Number(form.elements.limit.value);
    const { entity, entity_id: id, limit: l, ...rest } = input;
    history.replaceState(null, '', href('/audit', { ...rest, entity, id, limit: l === 100 ? '' : l }));
    load(input);
  });

  root.querySelector('#audit-export').addEventListener('click', async () => {
    const input = current();
    if (!input) return;
    await saveDocument({
      title: '审计记录', command: 'audit.export', input, fileName: `审计记录-${today()}.xlsx`, format: 'xlsx',
    });
  });

  call('audit.verify').then(
    (v) => render(root.querySelector('#audit-verdict-box'), verdict(v)),
    (err) => render(root.querySelector('#audit-verdict-box'), html`<p class="banner error">${err.message}</p>`),
  );
  form.requestSubmit();
}
