// 台账导入 (administrator, county approver): read a province's 低保/特困 ledger (.xlsx, .xls or
// CSV) from a path on this computer, check the proposed column mapping (ledger.preview), run the
// checks without writing (校验, ledger.import dry_run) and list the problems by row and column,
// then import (导入) the rows in one transaction. The import is one command; while it runs the
// page shows its progress (rows checked, households written) from the core's progress events,
// or an indeterminate bar where there are none; the reply gives the counts.

import { call, onProgress } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { mayOpen } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./ledger-import.css', import.meta.url));

/** "J 月保障金" for a column {letter, header}. */
export function columnLabel(col) {
  return col ? `${col.letter} ${col.header}` : '';
}

/** The mapping to send: field key → column letter, only fields given a column. */
export function mappingInput(choices) {
  const out = {};
  for (const [key, letter] of Object.entries(choices)) {
    if (letter) out[key] = letter;
  }
  return out;
}

/** Labels of required fields without a column. */
export function unmappedRequired(fields, mapping) {
  return fields.filter((f) => f.required && !mapping[f.key]).map((f) => f.label);
}

/** The same column chosen for two fields: [letter, [label, label]] pairs. */
export function doubleMapped(fields, mapping) {
  const by = {};
  for (const f of fields) {
    const l = mapping[f.key];
    if (l) (by[l] = by[l] || []).push(f.label);
  }
  return Object.entries(by).filter(([, labels]) => labels.length > 1);
}

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The words beside the progress bar for a report `{phase, done, total}` of ledger.import, or
 *  for none (no report yet, or no progress events): "已检查 12,000 / 40,000 行". */
export function progressText(p, dry) {
  const running = `正在${dry ? '校验' : '导入'}…`;
  if (!p) return running;
  switch (p.phase) {
    case 'read':
      return '正在读取文件…';
    case 'check':
      return `已检查 ${grouped(p.done)} / ${grouped(p.total)} 行`;
    case 'write':
      return p.done < p.total ? `正在写入… 已写入 ${grouped(p.done)} / ${grouped(p.total)} 户` : '正在保存…';
    default:
      return running;
  }
}

/** A progress bar with its words: measured while rows are checked or written, indeterminate
 *  otherwise. */
export function progressView(p, dry) {
  const counted = p && p.total > 0 && (p.phase === 'check' || p.phase === 'write');
  return html`<div class="ledger-running" id="ledger-running">${counted ? html`<progress max="${p.total}" value="${p.done}"></progress>` : html`<progress></progress>`} <span>${progressText(p, dry)}</span></div>`;
}

/** One sentence for the reply of ledger.import. */
export function resultSummary(r) {
  const parts = [`共 ${r.rows} 行`];
  if (r.skipped_count) parts.push(`${r.skipped_count} 行已导入过（跳过）`);
  if (r.invalid_rows) parts.push(`${r.invalid_rows} 行有错误（${r.errors_total} 处）`);
  if (r.dry_run) {
    parts.push(`${r.valid} 行可以导入`);
    return `校验完成：${parts.join('，')}。未写入任何数据。`;
  }
  if (r.written) {
    parts.push(`已导入 ${r.imported} 户`);
    const from = r.first_paid_month ? `本系统自 ${r.first_paid_month} 起发放，此前各月不补发。` : '';
    return `导入完成：${parts.join('，')}。${from}`;
  }
  if (r.invalid_rows) return `未导入：${parts.join('，')}。请改正台账后重新导入，或勾选“只导入无误的行”。`;
  return `没有需要导入的行：${parts.join('，')}。`;
}

function sampleTable(p) {
  return html`<div class="ledger-sample-wrap"><table class="grid ledger-sample" id="ledger-sample">
    <thead><tr><th>行</th>${p.columns.map((c) => html`<th>${columnLabel(c)}</th>`)}</tr></thead>
    <tbody>${p.sample.map((s) => html`<tr><td class="num">${s.row}</td>${p.columns.map((c) => html`<td>${s.cells[c.letter] ?? ''}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

function mappingTable(p) {
  const options = [{ code: '', label: '（不导入）' }, ...p.columns.map((c) => ({ code: c.letter, label: columnLabel(c) }))];
  return html`<table class="grid ledger-mapping" id="ledger-mapping">
    <thead><tr><th>台账项</th><th>文件中的列</th></tr></thead>
    <tbody>${p.fields.map((f) => html`<tr class="${f.required && !f.column ? 'missing' : ''}">
      <td>${f.label}${f.required ? html`<span class="req" aria-hidden="true">*</span>` : ''}</td>
      <td>${field({ name: f.key, label: f.label, type: 'select', value: f.column ?? '', options, id: `ledger-map-${f.key}` })}</td>
    </tr>`)}</tbody>
  </table>`;
}

export function errorTable(r) {
  if (!r.errors.length) return '';
  return html`<h2>错误（${r.errors_total} 处${r.errors.length < r.errors_total ? `，列出前 ${r.errors.length} 处` : ''}）</h2>
    <table class="grid" id="ledger-errors">
      <thead><tr><th class="num">行</th><th>列</th><th>问题</th></tr></thead>
      <tbody>${r.errors.map((e) => html`<tr><td class="num">${e.row}</td><td>${columnLabel(e.column)}</td><td>${e.message}</td></tr>`)}</tbody>
    </table>`;
}

/** Valid rows imported as they are that the clerk should check (保障人数 other than the persons
 *  listed). */
export function warningTable(r) {
  if (!r.warnings?.length) return '';
  return html`<h2>请核实（${r.warnings_total} 处${r.warnings.length < r.warnings_total ? `，列出前 ${r.warnings.length} 处` : ''}，不影响导入）</h2>
    <table class="grid" id="ledger-warnings">
      <thead><tr><th class="num">行</th><th>列</th><th>提示</th></tr></thead>
      <tbody>${r.warnings.map((e) => html`<tr><td class="num">${e.row}</td><td>${columnLabel(e.column)}</td><td>${e.message}</td></tr>`)}</tbody>
    </table>`;
}

function skippedList(r) {
  if (!r.skipped.length) return '';
  return html`<details id="ledger-skipped"><summary>已导入过、本次跳过的 ${r.skipped_count} 行</summary>
    <table class="grid"><thead><tr><th class="num">行</th><th>户主</th><th>案件编号</th></tr></thead>
    <tbody>${r.skipped.map((s) => html`<tr><td class="num">${s.row}</td><td>${s.head_name}</td><td class="mono">${s.case_number}</td></tr>`)}</tbody></table>
  </details>`;
}

export async function ledgerImportView(root) {
  if (!mayOpen(root, '台账导入', 'ledgerImport')) return;
  render(root, html`
    <section class="page ledger-import">
      <div class="page-head"><h1>台账导入</h1>
        <div class="actions"><button type="button" id="ledger-print">打印</button></div>
      </div>
      <p class="muted no-print">导入原有的低保、特困台账（Excel .xlsx/.xls，或 CSV；CSV 可以是 UTF-8 或 GBK 编码）。每行一户；家庭成员写在“家庭成员”一列，格式为 姓名(关系)身份证号，多人用“；”分隔。先预览并核对列的对应，再校验，最后导入。已导入过的户会自动跳过，不会重复。</p>
      <form id="ledger-path-form" class="panel no-print" novalidate>
        <div class="grid-fields">
          ${field({ name: 'path', label: '台账文件', wide: true, required: '请填写台账文件的完整路径', id: 'ledger-path',
            hint: '本机上的完整文件路径，如 /home/mz/低保台账.xlsx', attrs: html`spellcheck="false" class="mono" autofocus` })}
        </div>
        <div class="form-error" role="alert"></div>
        <div class="form-actions"><button type="submit" class="primary" id="ledger-preview">预览</button></div>
      </form>
      <div id="ledger-preview-out"></div>
      <div id="ledger-progress" aria-live="polite"></div>
      <div id="ledger-result" aria-live="polite"></div>
    </section>
  `);
  const pathForm = root.querySelector('#ledger-path-form');
  const previewOut = root.querySelector('#ledger-preview-out');
  const progress = root.querySelector('#ledger-progress');
  const result = root.querySelector('#ledger-result');
  root.querySelector('#ledger-print').addEventListener('click', () => window.print());
  const pathInput = pathForm.elements.path;
  const previewButton = pathForm.querySelector('#ledger-preview');
  pathInput.focus();

  const showTopError = (form, err) => {
    const box = form.querySelector('.form-error');
    if (box) box.textContent = err.message;
  };

  pathForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const path = pathInput.value.trim();
    showTopError(pathForm, { message: '' });
    if (!path) return showTopError(pathForm, { message: '请填写台账文件的完整路径' });
    render(previewOut, '');
    render(result, '');
    previewButton.disabled = true;
    render(progress, progressView({ phase: 'read', done: 0, total: 0 }));
    try {
      const p = await call('ledger.preview', { path });
      showPreview(path, p);
    } catch (err) {
      showTopError(pathForm, err);
      pathInput.focus();
    } finally {
      render(progress, '');
      previewButton.disabled = false;
    }
  });

  function showPreview(path, p) {
    render(previewOut, html`
      <p class="muted" id="ledger-file">${p.file}：${p.encoding}，表头在第 ${p.header_row} 行，数据 ${p.rows} 行。</p>
      <details class="ledger-sample-box" open><summary>文件的前几行</summary>${sampleTable(p)}</details>
      ${p.missing.length ? html`<p class="banner warn" id="ledger-missing">以下必需项没有找到对应的列，请手工选择：${p.missing.join('、')}</p>` : ''}
      <form id="ledger-map-form" class="panel" novalidate>
        <h2>列的对应</h2>
        ${mappingTable(p)}
        <div class="grid-fields ledger-paid-from">
          ${field({ name: 'first_paid_month', label: '本系统起付月份', value: p.first_paid_month, id: 'ledger-first-paid-month',
            hint: `导入的家庭从这个月起由本系统按月发放，此前各月视为原系统已发放、不补发；默认 ${p.first_paid_month}（尚未执行发放的第一个月），不能更早。台账的“起始发放年月”仍记为享受起始月。`,
            attrs: html`inputmode="numeric" maxlength="7" placeholder="年-月" class="mono"` })}
        </div>
        <div class="field check"><label><input type="checkbox" name="skip_invalid" id="ledger-skip-invalid"> 只导入无误的行（有错误的行不导入，其余照常导入）</label></div>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" id="ledger-check" data-dry="1">校验</button>
          <button type="submit" class="primary" id="ledger-import">导入</button>
        </div>
      </form>
    `);
    const form = previewOut.querySelector('#ledger-map-form');
    const buttons = form.querySelectorAll('button');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const dry = Boolean(e.submitter && e.submitter.dataset.dry);
      const choices = {};
      for (const f of p.fields) choices[f.key] = form.elements[f.key].value;
      const mapping = mappingInput(choices);
      const missing = unmappedRequired(p.fields, mapping);
      if (missing.length) return showTopError(form, { message: `请为以下必需项选择列：${missing.join('、')}` });
      const twice = doubleMapped(p.fields, mapping);
      if (twice.length) return showTopError(form, { message: `第 ${twice[0][0]} 列同时对应了${twice[0][1].join('和')}，一列只能对应一项` });
      showTopError(form, { message: '' });
      buttons.forEach((b) => (b.disabled = true));
      previewButton.disabled = true;
      render(result, '');
      render(progress, progressView(null, dry));
      progress.scrollIntoView({ block: 'nearest' });
      let running = true;
      const stop = await onProgress((report) => {
        if (running && report && report.task === 'ledger.import') render(progress, progressView(report, dry));
      });
      try {
        const firstPaid = form.elements.first_paid_month.value.trim();
        const r = await call('ledger.import', {
          path, mapping, dry_run: dry, skip_invalid: form.elements.skip_invalid.checked,
          ...(firstPaid ? { first_paid_month: firstPaid } : {}),
        });
        render(result, html`
          <p class="banner ${r.invalid_rows && !r.written ? 'warn' : 'ok'}" id="ledger-summary">${resultSummary(r)}</p>
          ${errorTable(r)}
          ${warningTable(r)}
          ${skippedList(r)}`);
        result.scrollIntoView({ block: 'start', behavior: 'smooth' });
      } catch (err) {
        showTopError(form, err);
      } finally {
        running = false;
        if (stop) stop();
        render(progress, '');
        buttons.forEach((b) => (b.disabled = false));
        previewButton.disabled = false;
      }
    });
    form.elements[p.fields.find((f) => f.required && !f.column)?.key ?? 'head_name']?.focus();
  }
}
