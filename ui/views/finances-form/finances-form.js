// 编辑收入与财产: the whole statement of one household (itemised income per member, rigid
// expenditure, assets), saved at once with finances.set. Money is typed and sent as yuan strings;
// rows left blank are dropped, and a refusal about `incomes[1]` lands on the row the user sees.

import { call } from '../../api.js';
import { html, render, element } from '../../lib/html.js';
import { field, onSubmit } from '../../lib/forms.js';
import { can, choices, label } from '../../lib/session.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./finances-form.css', import.meta.url));

const LISTS = ['incomes', 'expenditures'];
const blank = (v) => v === null || v === undefined || v === false || String(v).trim() === '';
const text = (v) => (blank(v) ? null : String(v).trim());
const invalid = (f, message) => ({ code: 'invalid_input', field: f, message });

/** A row carries nothing the user typed (the selects have defaults, so they do not count). */
export function emptyIncome(r) {
  return blank(r.amount) && !r.exempt && blank(r.exempt_reason) && blank(r.note);
}

export function emptyExpenditure(r) {
  return blank(r.annual_amount) && blank(r.note);
}

function count(v, f, what) {
  if (blank(v)) return 0;
  const t = String(v).trim();
  if (!/^\d+$/.test(t)) throw invalid(f, `${what}请填写整数，如 0 或 1`);
  return Number(t);
}

/**
 * The finances.set input from the form as read (`readForm`). Money stays the string typed (never a
 * number); rows left blank are dropped. Returns `{ input, rows }`: `rows.incomes[k]` is the form
 * row of the k-th income sent, so a refusal naming `incomes[k]` can be put on that row (formField).
 * Throws a field error, named as in the form, for a row without a member.
 */
export function statementInput(householdId, raw) {
  const rows = { incomes: [], expenditures: [] };
  const incomes = [];
  (raw.incomes || []).forEach((r, i) => {
    if (!r || emptyIncome(r)) return;
    if (blank(r.person_id)) throw invalid(`incomes[${i}].person_id`, '请选择这项收入属于哪位成员');
    const item = {
      person_id: Number(r.person_id), kind: r.kind, period: r.period,
      amount: String(r.amount ?? '').trim(), exempt: Boolean(r.exempt),
    };
    if (item.exempt) item.exempt_reason = text(r.exempt_reason);
    item.note = text(r.note);
    rows.incomes.push(i);
    incomes.push(item);
  });
  const expenditures = [];
  (raw.expenditures || []).forEach((r, i) => {
    if (!r || emptyExpenditure(r)) return;
    rows.expenditures.push(i);
    expenditures.push({
      person_id: blank(r.person_id) ? null : Number(r.person_id), kind: r.kind,
      annual_amount: String(r.annual_amount ?? '').trim(), note: text(r.note),
    });
  });
  const a = raw.assets || {};
  const assets = {
    deposits: String(a.deposits ?? '').trim(),
    vehicles: count(a.vehicles, 'assets.vehicles', '车辆数'),
    extra_housing: count(a.extra_housing, 'assets.extra_housing', '其他住房套数'),
    note: text(a.note),
  };
  return { input: { household_id: householdId, incomes, expenditures, assets }, rows };
}

/** A refusal's field as named in the form: `incomes[1].amount` → the form row that was sent 2nd. */
export function formField(f, rows) {
  const m = f && /^(incomes|expenditures)\[(\d+)\](.*)$/.exec(f);
  if (!m) return f;
  const at = rows[m[1]][Number(m[2])];
  return at === undefined ? f : `${m[1]}[${at}]${m[3]}`;
}

/** Options for a member select: the open members, plus anyone a stored row names who has left. */
function personOptions(members, statement) {
  const opts = members.map((m) => ({ code: m.person_id, label: `${m.name}（${label('relations', m.relation)}）` }));
  for (const r of [...statement.incomes, ...statement.expenditures]) {
    if (r.person_id && !opts.some((o) => o.code === r.person_id)) {
      opts.push({ code: r.person_id, label: `${r.person_name}（已不在册）` });
    }
  }
  return opts;
}

function options(list, value) {
  return list.map((o) => html`<option value="${o.code}" ${String(o.code) === String(value ?? '') ? 'selected' : ''}>${o.label}</option>`);
}

/** One table cell: the control and its error line. */
function cell(name, control, cls = '') {
  return html`<td class="${cls}">${control}<div class="field-error" data-for="${name}" role="alert"></div></td>`;
}

function incomeRow(i, r, people) {
  const n = (k) => `incomes[${i}].${k}`;
  return html`<tr data-row>
    <td class="row-no">${i + 1}</td>
    ${cell(n('person_id'), html`<select name="${n('person_id')}" data-type="int" aria-label="收入所属成员">
      <option value="">请选择</option>${options(people, r.person_id)}</select>`)}
    ${cell(n('kind'), html`<select name="${n('kind')}" aria-label="收入类别">${options(choices('income_kinds'), r.kind || 'wage')}</select>`)}
    ${cell(n('period'), html`<select name="${n('period')}" aria-label="收入周期">${options(choices('income_periods'), r.period || 'monthly')}</select>`)}
    ${cell(n('amount'), html`<input name="${n('amount')}" class="money" value="${r.amount ?? ''}" inputmode="decimal"
      autocomplete="off" placeholder="0.00" aria-label="收入金额（元）">`, 'num')}
    ${cell(n('exempt'), html`<input type="checkbox" name="${n('exempt')}" data-type="bool" ${r.exempt ? 'checked' : ''}
      aria-label="不计入家庭收入">`, 'center')}
    ${cell(n('exempt_reason'), html`<input name="${n('exempt_reason')}" value="${r.exempt_reason ?? ''}" data-type="opt"
      autocomplete="off" placeholder="如 见义勇为奖励" aria-label="不计入的依据" ${r.exempt ? '' : 'disabled'}>`)}
    ${cell(n('note'), html`<input name="${n('note')}" value="${r.note ?? ''}" data-type="opt" autocomplete="off" aria-label="收入备注">`)}
    <td><button type="button" class="link danger" data-remove>删除</button></td>
  </tr>`;
}

function expenditureRow(i, r, people) {
  const n = (k) => `expenditures[${i}].${k}`;
  return html`<tr data-row>
    <td class="row-no">${i + 1}</td>
    ${cell(n('person_id'), html`<select name="${n('person_id')}" data-type="int" aria-label="支出所属成员">
      <option value="">全家</option>${options(people, r.person_id)}</select>`)}
    ${cell(n('kind'), html`<select name="${n('kind')}" aria-label="刚性支出类别">${options(choices('expenditure_kinds'), r.kind || 'medical')}</select>`)}
    ${cell(n('annual_amount'), html`<input name="${n('annual_amount')}" class="money" value="${r.annual_amount ?? ''}"
      inputmode="decimal" autocomplete="off" placeholder="0.00" aria-label="每年支出金额（元）">`, 'num')}
    ${cell(n('note'), html`<input name="${n('note')}" value="${r.note ?? ''}" data-type="opt" autocomplete="off" aria-label="支出备注">`)}
    <td><button type="button" class="link danger" data-remove>删除</button></td>
  </tr>`;
}

/** After a row is removed, incomes[k] must count 0, 1, 2… again. */
function renumber(tbody, list) {
  const re = new RegExp(`^${list}\\[\\d+\\]`);
  [...tbody.rows].forEach((tr, i) => {
    tr.querySelector('.row-no').textContent = String(i + 1);
    for (const el of tr.querySelectorAll('[name]')) el.name = el.name.replace(re, `${list}[${i}]`);
    for (const el of tr.querySelectorAll('[data-for]')) el.dataset.for = el.dataset.for.replace(re, `${list}[${i}]`);
  });
}

export async function financesEdit(root, { params }) {
  const id = Number(params.id);
  if (!can('writeRegistry')) {
    render(root, html`<p class="error">您的角色不能登记收入和财产。</p><p><a href="#/households/${id}">返回家庭</a></p>`);
    return;
  }
  const [view, statement] = await Promise.all([
    call('household.get', { id }),
    call('finances.get', { household_id: id }),
  ]);
  const head = view.members.find((m) => m.relation === 'head');
  document.title = `编辑收入与财产 - ${head ? head.name : '无户主'}户 - 兜底`;
  const people = personOptions(view.members, statement);
  const back = `#/households/${id}?at=finances`;
  const a = statement.assets;
  const rowsOf = {
    incomes: (i, r) => incomeRow(i, r, people),
    expenditures: (i, r) => expenditureRow(i, r, people),
  };
  // An empty list starts with one blank row (dropped again on save if left blank).
  const incomes = statement.incomes.length ? statement.incomes : [{ person_id: head?.person_id }];
  const expenditures = statement.expenditures.length ? statement.expenditures : [{}];

  render(root, html`
    <section class="page finances-form">
      <div class="page-head">
        <h1>编辑收入与财产 <span class="muted">${head ? html`户主 ${head.name} · ` : ''}户编号 ${id}</span></h1>
        <a href="${back}" class="back">返回家庭</a>
      </div>
      <form id="finances-form" novalidate>
        <fieldset class="panel"><legend>收入（逐人逐项）</legend>
          <table class="grid edit-grid" id="income-rows">
            <thead><tr><th class="c-no">#</th><th class="c-person">成员</th><th class="c-kind">类别</th><th class="c-period">周期</th>
              <th class="num c-money">金额（元）</th><th class="c-flag">不计入</th><th>不计入依据</th><th>备注</th>
              <th class="c-act"><span class="sr-only">操作</span></th></tr></thead>
            <tbody data-list="incomes">${incomes.map((r, i) => rowsOf.incomes(i, r))}</tbody>
          </table>
          <p class="row-tools"><button type="button" id="income-add" data-add="incomes">＋ 增加收入</button>
            <span class="muted">金额按登记的周期填写（每月或每年），单位元，最多两位小数；空行不保存。</span></p>
        </fieldset>
        <fieldset class="panel"><legend>刚性支出（每年）</legend>
          <table class="grid edit-grid" id="expenditure-rows">
            <thead><tr><th class="c-no">#</th><th class="c-person">成员</th><th class="c-kind">类别</th>
              <th class="num c-money">每年金额（元）</th><th>备注</th><th class="c-act"><span class="sr-only">操作</span></th></tr></thead>
            <tbody data-list="expenditures">${expenditures.map((r, i) => rowsOf.expenditures(i, r))}</tbody>
          </table>
          <p class="row-tools"><button type="button" id="expenditure-add" data-add="expenditures">＋ 增加刚性支出</button>
            <span class="muted">因病、因残、因学的长期必需支出，只扣减一次。</span></p>
        </fieldset>
        <fieldset class="panel"><legend>财产</legend>
          <div class="grid-fields">
            ${field({ name: 'assets.deposits', label: '存款（元）', value: a.deposits === '0.00' ? '' : a.deposits, attrs: html`inputmode="decimal" class="money" placeholder="0.00"` })}
            ${field({ name: 'assets.vehicles', label: '车辆（辆）', value: a.vehicles || '', attrs: html`inputmode="numeric" placeholder="0"` })}
            ${field({ name: 'assets.extra_housing', label: '自住以外的住房（套）', value: a.extra_housing || '', attrs: html`inputmode="numeric" placeholder="0"` })}
            ${field({ name: 'assets.note', label: '财产备注', value: a.note, dtype: 'opt' })}
          </div>
        </fieldset>
        <div class="form-error" role="alert"></div>
        <div class="form-actions">
          <button type="submit" class="primary" id="finances-submit">保存</button>
          <a href="${back}" class="button">取消</a>
          <span class="muted">保存后整张表替换原有登记，原内容留在操作记录中。</span>
        </div>
      </form>
    </section>
  `);

  const form = root.querySelector('#finances-form');
  form.addEventListener('click', (e) => {
    const add = e.target.closest('button[data-add]');
    if (add) {
      const list = add.dataset.add;
      const tbody = form.querySelector(`tbody[data-list="${list}"]`);
      const last = tbody.rows[tbody.rows.length - 1];
      // A new income row goes to the member of the row above: incomes are entered person by person.
      const prev = last && last.querySelector('select[name$=".person_id"]').value;
      const tr = element(rowsOf[list](tbody.rows.length, { person_id: prev ? Number(prev) : head?.person_id }));
      tbody.append(tr);
      tr.querySelector('select, input').focus();
      return;
    }
    const remove = e.target.closest('button[data-remove]');
    if (remove) {
      const tbody = remove.closest('tbody');
      const tr = remove.closest('tr');
      const next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      renumber(tbody, tbody.dataset.list);
      (next ? next.querySelector('button[data-remove]') : form.querySelector(`[data-add="${tbody.dataset.list}"]`)).focus();
    }
  });
  // 不计入 needs its reason; without it the reason is not asked for.
  form.addEventListener('change', (e) => {
    if (!/^incomes\[\d+\]\.exempt$/.test(e.target.name)) return;
    const reason = form.elements.namedItem(e.target.name + '_reason');
    reason.disabled = !e.target.checked;
    if (e.target.checked) reason.focus();
  });
  onSubmit(form, async (raw) => {
    const { input, rows } = statementInput(id, raw);
    try {
      await call('finances.set', input);
    } catch (err) {
      if (err.field) err.field = formField(err.field, rows);
      throw err;
    }
    toast('收入与财产已保存');
    location.hash = back;
  });
  form.querySelector('tbody[data-list="incomes"] select').focus();
}
