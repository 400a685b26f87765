// 保障标准: every standard the county configures, by key and area, with its dated history (the
// value in force marked, future values marked). The administrator enters a value from a date,
// withdraws a value not yet in force, and copies the whole set to or from another office as JSON.
// Everyone else reads.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today, normalizeDate } from '../../lib/forms.js';
import { can } from '../../lib/session.js';
import { openDialog, confirmDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';
import { recomputePanel } from './recompute.js';

loadStyle(new URL('./standards.css', import.meta.url));

const SCOPES = { urban: '城市', rural: '农村', all: '全县' };

/** Sections of the page, by key prefix, in catalogue order. */
const GROUPS = [
  ['dibao.', '最低生活保障'], ['asset.', '家庭财产限额'], ['tekun.', '特困人员救助供养'],
  ['orphan.', '孤儿和事实无人抚养儿童'], ['unsupported_child', '孤儿和事实无人抚养儿童'],
  ['disability.', '残疾人两项补贴'], ['temp.', '临时救助'], ['price.', '价格临时补贴'],
  ['one_time.', '一次性生活补贴'], ['exit.', '渐退和退出'], ['grant.', '救助金发放'],
];

export function groupOf(key) {
  const g = GROUPS.find(([prefix]) => key.startsWith(prefix));
  return g ? g[1] : '其他';
}

/** What to type for a value of this kind. */
export function kindHint(kind) {
  return {
    money: '金额，单位元，如 871 或 871.00',
    ratio: '小数、百分数或分数，如 1.3、30%、1/6',
    integer: '整数',
    enum: '从列表中选择',
    choice: '从列表中选择',
    json: 'JSON，格式同现行值',
    tiers: 'JSON，格式同现行值',
  }[kind] || '';
}

const isJson = (kind) => kind === 'json' || kind === 'tiers';
const isChoice = (kind) => kind === 'enum' || kind === 'choice';

/** A stored value in words: money with 元, a choice by its label, JSON folded. */
function valueText(def, value) {
  if (!def) return value;
  if (def.kind === 'money') return html`<span class="mono">${value}</span> 元`;
  if (isChoice(def.kind)) {
    const o = (def.options || []).find((x) => x.code === value);
    return o ? html`${o.label} <span class="muted mono">${value}</span>` : value;
  }
  if (isJson(def.kind)) {
    let pretty = value;
    let n = '';
    try {
      const parsed = JSON.parse(value);
      pretty = JSON.stringify(parsed, null, 1);
      if (Array.isArray(parsed)) n = `${parsed.length} 项`;
    } catch { /* shown as stored */ }
    return html`<details class="std-json"><summary>${n || '查看'}</summary><pre>${pretty}</pre></details>`;
  }
  return html`<span class="mono">${value}</span>`;
}

function defaultText(def, scope) {
  const d = def.default;
  const v = d && typeof d === 'object' ? d[scope] : d;
  return v === undefined || v === null ? '' : v;
}

function status(r) {
  if (r.in_force) return html`<span class="badge in-force">现行</span>`;
  if (r.future) return html`<span class="badge future">待生效</span>`;
  return html`<span class="muted">已停止执行</span>`;
}

/** The key/scope pairs of the catalogue, in order, with their stored rows. */
export function standardsTable(catalogue, rows) {
  const out = [];
  for (const def of catalogue) {
    const scopes = def.per_area ? ['urban', 'rural'] : ['all'];
    for (const scope of scopes) {
      out.push({ def, scope, rows: rows.filter((r) => r.key === def.key && r.scope === scope) });
    }
  }
  // Rows the catalogue no longer knows still show, at the end.
  const known = new Set(catalogue.map((d) => d.key));
  for (const r of rows) {
    if (known.has(r.key)) continue;
    let item = out.find((x) => x.def.key === r.key && x.scope === r.scope);
    if (!item) out.push(item = { def: { key: r.key, label: r.label, kind: 'text', per_area: false }, scope: r.scope, rows: [] });
    item.rows.push(r);
  }
  return out;
}

function pairBody(p, admin) {
  const label = p.def.per_area ? `${SCOPES[p.scope]}${p.def.label}` : p.def.label;
  const head = html`<th scope="rowgroup" rowspan="${Math.max(p.rows.length, 1)}" class="std-label">
    ${label}<div class="muted mono small">${p.def.key}</div></th>
    <td rowspan="${Math.max(p.rows.length, 1)}" class="nowrap">${SCOPES[p.scope] || p.scope}</td>`;
  const add = admin ? html`<button type="button" class="link" data-act="add">调整</button>` : '';
  if (!p.rows.length) {
    return html`<tbody data-key="${p.def.key}" data-scope="${p.scope}" data-label="${label}"><tr>${head}
      <td class="muted">—</td>
      <td class="muted">默认值 ${valueText(p.def, defaultText(p.def, p.scope))}</td>
      <td class="nowrap"><span class="badge unset">未设置</span></td><td></td>
      ${admin ? html`<td class="row-actions">${add}</td>` : ''}</tr></tbody>`;
  }
  return html`<tbody data-key="${p.def.key}" data-scope="${p.scope}" data-label="${label}">${p.rows.map((r, i) => html`
    <tr data-id="${r.id}" class="${r.in_force ? 'in-force' : r.future ? 'future' : 'past'}">
      ${i === 0 ? head : ''}
      <td class="mono nowrap">${r.effective_from}</td>
      <td>${valueText(p.def, r.value)}</td>
      <td class="nowrap">${status(r)}</td>
      <td class="muted small nowrap">${r.created_by} ${r.created_at}</td>
      ${admin ? html`<td class="row-actions">
        ${r.future ? html`<button type="button" class="link danger" data-act="withdraw">撤回</button>` : ''}
        ${i === p.rows.length - 1 ? add : ''}</td>` : ''}
    </tr>`)}</tbody>`;
}

function valueControl(def, value) {
  if (!def) return field({ name: 'value', label: '值', required: '请填写值', wide: true });
  const hint = kindHint(def.kind);
  if (isChoice(def.kind)) {
    return field({ name: 'value', label: '值', type: 'select', value, options: def.options || [], wide: true, hint });
  }
  if (isJson(def.kind)) {
    return field({ name: 'value', label: '值', type: 'textarea', value, required: '请填写值', wide: true, hint, attrs: html`rows="8" spellcheck="false" class="mono"` });
  }
  const unit = def.kind === 'money' ? '（元）' : '';
  return field({
    name: 'value', label: `值${unit}`, value, required: '请填写值', hint,
    attrs: html`inputmode="decimal" autocomplete="off" class="${def.kind === 'money' ? 'money' : 'mono'}"`,
  });
}

export async function standardsView(root, { query }) {
  document.title = '保障标准 - 兜底';
  const admin = can('admin');
  let asOf = normalizeDate(query.get('as_of') || '') || today();
  const { keys: catalogue } = await call('standard.catalogue');
  let rows = (await call('standard.list', { as_of: asOf })).rows;
  const defOf = (key) => catalogue.find((d) => d.key === key);
  let filter = '';

  function pairs() {
    const all = standardsTable(catalogue, rows);
    if (!filter) return all;
    const f = filter.toLowerCase();
    return all.filter((p) => `${SCOPES[p.scope]}${p.def.label} ${p.def.key}`.toLowerCase().includes(f));
  }

  function tables() {
    const groups = [];
    for (const p of pairs()) {
      const g = groupOf(p.def.key);
      let last = groups.find((x) => x.name === g);
      if (!last) groups.push(last = { name: g, pairs: [] });
      last.pairs.push(p);
    }
    if (!groups.length) return html`<p class="muted">没有符合“${filter}”的标准项。</p>`;
    return groups.map((g) => html`
      <h2>${g.name}</h2>
      <table class="grid std-table">
        <thead><tr><th class="c-label">标准项</th><th class="c-scope">范围</th><th class="c-date">生效日期</th><th>值</th>
          <th class="c-status">状态</th><th class="c-who">录入</th>${admin ? html`<th class="c-act no-print">操作</th>` : ''}</tr></thead>
        ${g.pairs.map((p) => pairBody(p, admin))}
      </table>`);
  }

  render(root, html`
    <section class="page standards" id="standards-page">
      <div class="page-head"><h1>保障标准</h1>
        <div class="actions">
          ${admin ? html`<button type="button" class="primary" id="standard-new">新增标准值</button>` : ''}
          <button type="button" id="standard-export">导出</button>
          ${admin ? html`<button type="button" id="standard-import">导入</button>` : ''}
          ${admin ? html`<button type="button" id="standard-defaults">未设置项按默认值设置</button>` : ''}
          <button type="button" id="standard-print">打印</button>
        </div>
      </div>
      <p class="muted">标准按生效日期执行：已执行的值不能修改，调整请以新的生效日期录入；尚未生效的值可以替换或撤回。未设置的标准项不能用于测算。${
        admin ? '' : '只有管理员可以修改。'}</p>
      <div id="std-transfer" class="no-print"></div>
      ${can('whatIf') ? html`<div id="recompute-box"></div>` : ''}
      <form class="filterbar no-print" id="standards-filter" novalidate>
        ${field({ name: 'q', label: '查找标准项', type: 'search', id: 'standards-q', attrs: html`placeholder="名称或代码，如 低保标准" data-skip` })}
        ${field({ name: 'as_of', label: '按日期查看（现行 = 该日执行的值）', type: 'date', value: asOf, id: 'standards-as-of' })}
        <button type="submit">查看</button>
        <div class="form-error" role="alert"></div>
      </form>
      <p class="print-only">执行情况以 ${asOf} 为准。</p>
      <div id="standards-tables"></div>
    </section>
  `);
  const body = root.querySelector('#standards-tables');
  const draw = () => render(body, tables());
  draw();
  const recomputeBox = root.querySelector('#recompute-box');
  if (recomputeBox) await recomputePanel(recomputeBox);

  async function reload() {
    rows = (await call('standard.list', { as_of: asOf })).rows;
    draw();
  }

  const filterForm = root.querySelector('#standards-filter');
  root.querySelector('#standards-q').addEventListener('input', (e) => {
    filter = e.target.value.trim();
    draw();
  });
  onSubmit(filterForm, async (input) => {
    asOf = input.as_of || today();
    filterForm.elements.as_of.value = asOf;
    await reload();
  });
  root.querySelector('#standard-print').addEventListener('click', () => window.print());
  root.querySelector('#standard-export').addEventListener('click', showExport);
  if (admin) {
    root.querySelector('#standard-new').addEventListener('click', () => addValue());
    root.querySelector('#standard-import').addEventListener('click', showImport);
    root.querySelector('#standard-defaults').addEventListener('click', setDefaults);
    body.addEventListener('click', (e) => {
      const btn = e.target.closest('button[data-act]');
      if (!btn) return;
      const tb = btn.closest('tbody');
      if (btn.dataset.act === 'add') addValue(tb.dataset.key, tb.dataset.scope);
      else withdraw(rows.find((r) => String(r.id) === btn.closest('tr').dataset.id), tb.dataset.label);
    });
  }

  function focusPair(key, scope) {
    const tb = body.querySelector(`tbody[data-key="${CSS.escape(key)}"][data-scope="${CSS.escape(scope)}"]`);
    const btn = tb && tb.querySelector('[data-act="add"]');
    if (btn) {
      btn.scrollIntoView({ block: 'center' });
      btn.focus();
    }
  }

  async function addValue(key = catalogue[0].key, scope) {
    const keyOptions = catalogue.map((d) => ({ code: d.key, label: d.label }));
    /** The value in force for a key and scope (or the default), to start from. */
    const startValue = (def, s) => {
      const current = rows.find((r) => r.key === def.key && r.scope === s && r.in_force);
      return {
        value: current ? current.value : defaultText(def, s),
        note: current ? `现行值：${current.value}${def.kind === 'money' ? ' 元' : ''}（${current.effective_from} 起执行）` : '尚未设置，以上为默认值',
      };
    };
    /** Scope and value follow the key chosen. */
    const dependent = (def, sc) => {
      const scopes = def.per_area ? ['urban', 'rural'] : ['all'];
      const s = scopes.includes(sc) ? sc : scopes[0];
      const start = startValue(def, s);
      return html`
        ${field({ name: 'scope', label: '范围', type: 'select', value: s, options: scopes.map((c) => ({ code: c, label: SCOPES[c] })) })}
        ${valueControl(def, start.value)}
        <p class="note muted std-current">${start.note}</p>`;
    };
    const saved = await openDialog({
      title: '新增标准值', submitLabel: '保存', wide: true,
      body: html`
        ${field({ name: 'key', label: '标准项', type: 'select', value: key, options: keyOptions, wide: true, id: 'standard-key' })}
        ${field({ name: 'effective_from', label: '生效日期', type: 'date', required: '请填写生效日期', hint: '从这一天起执行，如 2027-01-01', attrs: html`autofocus` })}
        <div class="std-dependent">${dependent(defOf(key), scope)}</div>
      `,
      setup: (form) => {
        const box = form.querySelector('.std-dependent');
        let shownScope = form.elements.scope.value;
        form.elements.key.addEventListener('change', () => {
          render(box, dependent(defOf(form.elements.key.value), form.elements.scope.value));
          shownScope = form.elements.scope.value;
        });
        // Another scope: its value in force replaces the one shown, unless the user typed over it.
        box.addEventListener('change', (e) => {
          if (e.target.name !== 'scope' || e.target.value === shownScope) return;
          const def = defOf(form.elements.key.value);
          const before = startValue(def, shownScope);
          const after = startValue(def, e.target.value);
          const value = form.elements.value;
          if (value.value === before.value) value.value = after.value;
          box.querySelector('.std-current').textContent = after.note;
          shownScope = e.target.value;
        });
      },
      run: (input) => call('standard.set', input),
    });
    if (saved) {
      toast(`已保存：${saved.effective_from} 起执行`);
      // A value back-dated into months already paid: say so until the next action, and start the
      // 调标 preview from its month.
      if (saved.warning) {
        render(root.querySelector('#std-transfer'), html`<p class="banner" role="alert" id="standard-warning">${saved.warning}</p>`);
        const m = root.querySelector('#recompute-month');
        if (m) m.value = saved.effective_from.slice(0, 7);
      }
      await reload();
      focusPair(saved.key, saved.scope);
    }
  }

  /** Every key and area with no value yet gets its default from a chosen date, in one import. */
  async function setDefaults() {
    const missing = [];
    for (const def of catalogue) {
      for (const scope of def.per_area ? ['urban', 'rural'] : ['all']) {
        if (!rows.some((r) => r.key === def.key && r.scope === scope)) {
          missing.push({ key: def.key, scope, value: String(defaultText(def, scope)) });
        }
      }
    }
    if (!missing.length) {
      toast('所有标准项都已设置');
      return;
    }
    const ok = await openDialog({
      title: '未设置项按默认值设置', submitLabel: '设置',
      body: html`
        <p class="dialog-message">${missing.length} 项标准尚未设置，将按默认值（DOMAIN 示例县的数值）从下面的日期起执行。设置后可逐项调整；已设置的项不受影响。</p>
        ${field({ name: 'effective_from', label: '生效日期', type: 'date', value: `${today().slice(0, 4)}-01-01`, required: '请填写生效日期', attrs: html`autofocus` })}
      `,
      run: async (input) => {
        const r = await call('standard.import', {
          format: 'doudi-standards/1',
          rows: missing.map((m) => ({ ...m, effective_from: input.effective_from })),
        });
        toast(`已按默认值设置 ${r.added} 项`);
        return true;
      },
    });
    if (ok) await reload();
  }

  async function withdraw(r, label) {
    const ok = await confirmDialog('撤回标准值', `撤回“${label}”${r.effective_from} 起的值 ${r.value}？撤回后该日起继续执行此前的值。`, '撤回');
    if (!ok) return;
    try {
      await call('standard.withdraw', { id: r.id });
      toast('已撤回');
      await reload();
      focusPair(r.key, r.scope);
    } catch (err) {
      toast(err.message, 'error');
    }
  }

  const transfer = root.querySelector('#std-transfer');

  async function showExport() {
    const data = await call('standard.export');
    const text = JSON.stringify(data, null, 2);
    render(transfer, html`<div class="panel std-panel" id="export-panel">
      <h2>导出保障标准 <span class="muted">共 ${data.rows.length} 条，格式 ${data.format}</span></h2>
      <textarea readonly rows="12" class="mono" id="export-json" aria-label="导出的保障标准（JSON）">${text}</textarea>
      <div class="form-actions">
        <button type="button" class="primary" id="export-copy">复制</button>
        <button type="button" class="panel-close">关闭</button>
        <span class="muted" id="export-status" role="status"></span>
      </div>
      <p class="muted">复制后粘贴到另一台 Doudi 的“保障标准 → 导入”中，或存为 .json 文件。</p>
    </div>`);
    const area = transfer.querySelector('#export-json');
    transfer.querySelector('#export-copy').addEventListener('click', async () => {
      const said = transfer.querySelector('#export-status');
      area.focus();
      area.select();
      try {
        await navigator.clipboard.writeText(text);
        said.textContent = '已复制到剪贴板';
      } catch {
        said.textContent = document.execCommand('copy') ? '已复制到剪贴板' : '无法自动复制，请按 Ctrl+C 复制已选中的内容';
      }
    });
    wireClose();
    area.focus();
  }

  function showImport() {
    render(transfer, html`<form class="panel std-panel" id="import-form" novalidate>
      <h2>导入保障标准</h2>
      <p class="muted">粘贴从另一台 Doudi 导出的内容，或选择 .json 文件。已有的值跳过；与已执行的值矛盾时全部不导入。</p>
      <p><label for="import-file">选择文件：</label><input type="file" id="import-file" accept=".json,application/json"></p>
      <textarea name="json" rows="12" class="mono" id="import-json" spellcheck="false" aria-label="要导入的保障标准（JSON）"
        placeholder='{"format": "doudi-standards/1", "rows": [...]}'></textarea>
      <div class="field-error" data-for="json" role="alert"></div>
      <div class="form-error" role="alert"></div>
      <div class="form-actions">
        <button type="submit" class="primary" id="import-submit">导入</button>
        <button type="button" class="panel-close">关闭</button>
        <span class="muted">Ctrl+Enter 导入</span>
      </div>
    </form>`);
    const form = transfer.querySelector('#import-form');
    const area = form.querySelector('#import-json');
    form.querySelector('#import-file').addEventListener('change', (e) => {
      const file = e.target.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        area.value = String(reader.result);
        area.focus();
      };
      reader.onerror = () => (form.querySelector('.form-error').textContent = `无法读取文件 ${file.name}`);
      reader.readAsText(file, 'utf-8');
    });
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    onSubmit(form, async ({ json }) => {
      let data;
      try {
        data = JSON.parse(json);
      } catch (err) {
        throw { field: 'json', message: `不是有效的 JSON：${err.message}` };
      }
      const r = await call('standard.import', data);
      render(transfer, html`<p class="banner ok" id="import-result" tabindex="-1">导入完成：新增 ${r.added} 条${
        r.replaced ? `，替换未生效的值 ${r.replaced} 条` : ''}，已有相同的值 ${r.unchanged} 条。</p>`);
      transfer.querySelector('#import-result').focus();
      await reload();
    });
    wireClose();
    area.focus();
  }

  function wireClose() {
    transfer.querySelector('.panel-close').addEventListener('click', () => {
      const opener = root.querySelector('#standard-export');
      render(transfer, '');
      opener.focus();
    });
  }
}
