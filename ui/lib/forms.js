// Forms: inputs are named by the command's input path ('head.id_number', 'members[0].name'),
// so a server error's `field` finds its input and its Chinese message is shown beside it.

import { html } from './html.js';

let seq = 0;

/** 'members[0].name' → ['members', 0, 'name'] */
export function parsePath(name) {
  const out = [];
  for (const part of name.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad input name ${name}`);
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** A typed date as yyyy-mm-dd: '20261101', '2026-11-1', '2026/11/01', '2026.11.01' all work.
 *  Returns null when the text is not a real calendar date. */
export function normalizeDate(text) {
  const t = String(text).trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t) || /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A typed month as yyyy-mm: '2026-11', '202611', '2026/11', '2026.1', '2026年11月' all work.
 *  Returns null when the text is not a month. */
export function normalizeMonth(text) {
  const t = String(text).trim();
  const m = /^(\d{4})(\d{2})$/.exec(t) || /^(\d{4})[-/.年](\d{1,2})月?$/.exec(t);
  if (!m) return null;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}`;
}

/** Convert one raw input value by its declared type. */
export function convert(raw, type, emptyAs) {
  if (type === 'bool') return Boolean(raw);
  const s = typeof raw === 'string' ? raw.trim() : raw;
  if (s === '' || s === null || s === undefined) {
    if (emptyAs !== undefined && emptyAs !== null) return type === 'int' ? Number(emptyAs) : emptyAs;
    return type === 'text' ? '' : null;
  }
  if (type === 'int') return Number(s);
  if (type === 'date') return normalizeDate(s) ?? s;
  if (type === 'month') return normalizeMonth(s) ?? s;
  return type === 'text' ? raw : s;
}

/** Build a command input from [name, raw value, type, emptyAs] entries. Types: text (default,
 *  kept as typed), opt (blank → null), int (blank → null or emptyAs), bool, date and month
 *  (blank → null). Money is text: yuan strings go to the server as typed, never as numbers. */
export function buildInput(entries) {
  const root = {};
  for (const [name, raw, type = 'text', emptyAs] of entries) {
    const path = parsePath(name);
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i];
      if (node[key] === undefined) node[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[key];
    }
    node[path[path.length - 1]] = convert(raw, type, emptyAs);
  }
  return root;
}

/** Which of a form's input names should carry an error about `field`, or null for the form. */
export function errorTarget(err, names) {
  const f = err && err.field;
  if (!f || f === '.') return null;
  if (names.includes(f)) return f;
  // A parent path ('members[0]') goes to its first input.
  const child = names.find((n) => n.startsWith(f + '.') || n.startsWith(f + '['));
  if (child) return child;
  // A bare leaf ('id_number') from a command whose inputs are prefixed in this form.
  const leaf = names.find((n) => n.endsWith('.' + f));
  return leaf || null;
}

function inputs(form) {
  return [...form.elements].filter((el) => el.name && !el.disabled && el.type !== 'submit' && el.type !== 'button');
}

/** The command input a form describes (see buildInput for data-type). */
export function readForm(form) {
  return buildInput(
    inputs(form)
      .filter((el) => !el.hasAttribute('data-skip'))
      .map((el) => [
        el.name,
        el.type === 'checkbox' ? el.checked : el.value,
        el.dataset.type || 'text',
        el.dataset.empty,
      ]),
  );
}

function errorBox(form, name) {
  return form.querySelector(`.field-error[data-for="${CSS.escape(name)}"]`);
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const top = form.querySelector('.form-error');
  if (top) top.textContent = '';
}

export function clearFieldError(form, name) {
  const box = errorBox(form, name);
  if (box) box.textContent = '';
  const el = form.elements.namedItem(name);
  if (el && el.removeAttribute) el.removeAttribute('aria-invalid');
}

/** Show one error on the input it names (focusing it), or at the top of the form. */
export function showError(form, err, { focus = true } = {}) {
  const names = inputs(form).map((el) => el.name);
  const target = errorTarget(err, names);
  const box = target && errorBox(form, target);
  if (target && box) {
    box.textContent = err.message;
    const el = form.elements.namedItem(target);
    el.setAttribute('aria-invalid', 'true');
    if (focus) el.focus();
    return target;
  }
  const top = form.querySelector('.form-error');
  if (top) {
    top.textContent = err.message;
    if (typeof err.refresh === 'function') {
      const again = document.createElement('button');
      again.type = 'button';
      again.className = 'conflict-refresh';
      again.textContent = '刷新';
      again.addEventListener('click', err.refresh);
      top.append(' ', again);
    }
  }
  return null;
}

/** A step sent with the version its page showed (`expected_version`): when someone else acted
 *  first the server refuses it (code conflict, field expected_version) and writes nothing. The
 *  refusal then offers 刷新, which runs `refresh`; the form keeps what was typed. */
export function refreshOnConflict(promise, refresh) {
  return promise.catch((err) => {
    if (err && err.code === 'conflict' && err.field === 'expected_version') err.refresh = refresh;
    throw err;
  });
}

/** Local checks before the server sees the input: `data-required` holds the message for a blank
 *  input; dates must be calendar dates. */
function checkLocal(form) {
  for (const el of inputs(form)) {
    const value = String(el.value).trim();
    if (el.dataset.required && !value) {
      return { code: 'invalid_input', field: el.name, message: el.dataset.required };
    }
    if (el.dataset.type === 'date' && value && !normalizeDate(value)) {
      return { code: 'invalid_input', field: el.name, message: `“${value}”不是有效日期，请按 年-月-日 填写，如 2026-11-01` };
    }
    if (el.dataset.type === 'month' && value && !normalizeMonth(value)) {
      return { code: 'invalid_input', field: el.name, message: `“${value}”不是有效月份，请按 年-月 填写，如 2026-11` };
    }
  }
  return null;
}

/** Wire a form: Enter submits (native), errors land beside inputs, the button is disabled while
 *  the command runs. `run(input)` returns a promise; its rejection is shown. */
export function onSubmit(form, run) {
  form.addEventListener('input', (e) => e.target.name && clearFieldError(form, e.target.name));
  form.addEventListener('change', (e) => e.target.name && clearFieldError(form, e.target.name));
  // Show a typed date in its standard form once the caseworker leaves the field.
  form.addEventListener('focusout', (e) => {
    const el = e.target;
    if (el.dataset && el.dataset.type === 'date' && el.value.trim()) {
      const d = normalizeDate(el.value);
      if (d) el.value = d;
    }
    if (el.dataset && el.dataset.type === 'month' && el.value.trim()) {
      const m = normalizeMonth(el.value);
      if (m) el.value = m;
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (form.dataset.busy) return;
    clearErrors(form);
    const local = checkLocal(form);
    if (local) return showError(form, local);
    const buttons = form.querySelectorAll('button[type=submit]');
    form.dataset.busy = '1';
    buttons.forEach((b) => (b.disabled = true));
    try {
      await run(readForm(form));
    } catch (err) {
      if (err && err.message) showError(form, err);
      else throw err;
    } finally {
      delete form.dataset.busy;
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

/** A labelled control with its error line. `options`: [{code, label}] makes a select.
 *  type: text | password | date | month | textarea | select | checkbox. dtype: the value's data-type (see buildInput).
 *  Dates and months are text inputs (yyyy-mm-dd, yyyy-mm; 20261101 and 202611 also accepted): typed fast, the same in every webview.
 *  `required`: true marks the label; a string is also the message shown if left blank.
 *  `attrs`: extra attributes, as an html`` fragment. */
export function field({
  name, label, type = 'text', value = '', options, blank, dtype, empty, required, hint,
  autocomplete = 'off', attrs = '', wide = false, id,
}) {
  id = id || `f-${name.replace(/[^\w]/g, '_')}-${++seq}`;
  const req = required ? html`<span class="req" aria-hidden="true">*</span>` : '';
  const data = html`${dtype ? html` data-type="${dtype}"` : ''}${empty !== undefined ? html` data-empty="${empty}"` : ''}${
    typeof required === 'string' ? html` data-required="${required}"` : ''}`;
  let control;
  if (type === 'select') {
    control = html`<select id="${id}" name="${name}"${data} ${attrs}>
      ${blank !== undefined ? html`<option value="">${blank}</option>` : ''}
      ${options.map((o) => html`<option value="${o.code}" ${String(o.code) === String(value ?? '') ? 'selected' : ''}>${o.label}</option>`)}
    </select>`;
  } else if (type === 'checkbox') {
    control = html`<input id="${id}" type="checkbox" name="${name}" data-type="bool" ${value ? 'checked' : ''} ${attrs}>`;
  } else if (type === 'date') {
    control = html`<input id="${id}" type="text" class="date" name="${name}" value="${value ?? ''}" autocomplete="off"
      inputmode="numeric" maxlength="10" placeholder="年-月-日" data-type="date"${
      typeof required === 'string' ? html` data-required="${required}"` : ''} ${attrs}>`;
  } else if (type === 'month') {
    control = html`<input id="${id}" type="text" class="date" name="${name}" value="${value ?? ''}" autocomplete="off"
      inputmode="numeric" maxlength="8" placeholder="年-月" data-type="month"${
      typeof required === 'string' ? html` data-required="${required}"` : ''} ${attrs}>`;
  } else if (type === 'textarea') {
    control = html`<textarea id="${id}" name="${name}"${data} ${attrs}>${value ?? ''}</textarea>`;
  } else {
    control = html`<input id="${id}" type="${type}" name="${name}" value="${value ?? ''}" autocomplete="${autocomplete}"${data} ${attrs}>`;
  }
  return html`<div class="field${wide ? ' wide' : ''}${type === 'checkbox' ? ' check' : ''}">
    <label for="${id}">${label}${req}</label>
    ${control}
    ${hint !== undefined ? html`<div class="field-hint" data-for="${name}">${hint}</div>` : ''}
    <div class="field-error" data-for="${name}" role="alert"></div>
  </div>`;
}

/** This month as yyyy-mm in local time. */
export function thisMonth() {
  return today().slice(0, 7);
}

/** Today as yyyy-mm-dd in local time. */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
