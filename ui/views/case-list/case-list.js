// 案件列表: the county's 低保/特困 cases a page at a time, from the server (case.list): one search box
// (户主姓名, 拼音首字母, 身份证号 or 案件编号; the server decides which), filters by township, village,
// programme and state, sortable columns, 打印列表 (every matching case, print CSS) and 导出 Excel
// (case.export). Township staff see their township only (the server enforces it). The list's
// state lives in the address, so 返回 from a case comes back to the same page, sort and row.
// Keys: Enter searches; ↓ from the box enters the list, ↑/↓ move, Enter opens; PageUp/PageDown
// (or ←/→ on a row) turn the page.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { href } from '../../lib/router.js';
import { today } from '../../lib/forms.js';
import { session, ownTownship, areasAt } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';
import { saveDocument } from '../../components/documents/documents.js';
import { yuan as grouped } from '../../lib/format.js';

loadStyle(new URL('./case-list.css', import.meta.url));

const PROGRAMMES = [{ code: 'dibao', label: '低保' }, { code: 'tekun', label: '特困' }];
const PAGE_SIZES = [20, 50, 100, 200];
/** The columns: label, the sort they offer (if any), and a cell class. */
const COLUMNS = [
  ['编号', 'number'], ['项目'], ['户主', 'name'], ['身份证号'], ['乡镇 / 村', 'township'],
  ['申请日期'], ['状态', 'state'], ['期限'], ['月保障金额（元）', 'amount', 'num'], ['最近变动', 'updated'],
];
/** Sorts that read best newest or largest first when first chosen. */
const DESC_FIRST = ['amount', 'updated'];

/** The list's state from the address (`own`: the township of township staff). */
export function stateFromQuery(query, own) {
  const size = Number(query.get('n'));
  return {
    q: query.get('q') || '',
    township_id: own ? String(own) : query.get('t') || '',
    village_id: query.get('v') || '',
    programme: query.get('prog') || '',
    state: query.get('st') || '',
    sort: query.get('sort') || 'number',
    order: query.get('order') === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Math.floor(Number(query.get('p'))) || 1),
    page_size: PAGE_SIZES.includes(size) ? size : 50,
  };
}

/** The address that keeps `s` (defaults left out). */
export function addressOf(s, own) {
  return href('/cases', {
    q: s.q, t: own ? '' : s.township_id, v: s.village_id, prog: s.programme, st: s.state,
    sort: s.sort === 'number' ? '' : s.sort, order: s.order === 'asc' ? '' : s.order,
    p: s.page > 1 ? s.page : '', n: s.page_size === 50 ? '' : s.page_size,
  });
}

/** case.list's input for `s` (blank filters left out; `page` overrides the page). */
export function listInput(s, page = s.page) {
  const input = { q: s.q, sort: s.sort, order: s.order, page, page_size: s.page_size };
  if (s.township_id) input.township_id = Number(s.township_id);
  if (s.village_id) input.village_id = Number(s.village_id);
  if (s.programme) input.programme = s.programme;
  if (s.state) input.state = s.state;
  return input;
}

/** The sort after a click on column `code`: the same column flips its direction. */
export function nextSort(s, code) {
  if (s.sort === code) return { sort: code, order: s.order === 'asc' ? 'desc' : 'asc' };
  return { sort: code, order: DESC_FIRST.includes(code) ? 'desc' : 'asc' };
}

/** The line under the filters: how many, the page, the amounts' total. */
export function summaryText(r, q) {
  if (r.total === 0) return q ? `没有找到与“${q}”相符的案件` : '没有符合条件的案件';
  return `共 ${r.total} 件，第 ${r.page} / ${r.pages} 页，月保障金额合计 ${grouped(r.amount_total)} 元`;
}

function amountCell(c) {
  if (!c.monthly_amount) return '';
  const later = c.pay_from && !c.current_amount;
  return html`${grouped(c.monthly_amount)}${later ? html`<span class="muted from">自 ${c.pay_from}</span>` : ''}`;
}

/** The rows of one page (or of the whole list, for printing: `print` leaves the links out). */
export function rowsHtml(cases, { print = false } = {}) {
  return cases.map((c) => html`<tr class="${c.overdue ? 'overdue' : ''}" data-case-id="${c.id}" ${print ? '' : html`tabindex="0"`}>
    <td class="mono nowrap">${print ? c.number : html`<a href="#/cases/${c.id}" tabindex="-1">${c.number}</a>`}</td>
    <td>${c.programme === 'tekun' ? '特困' : '低保'}</td>
    <td class="strong">${c.head_name}</td>
    <td class="mono nowrap">${c.head_id_number}</td>
    <td>${c.township_name} ${c.village_name}</td>
    <td class="nowrap">${c.applied_on}</td>
    <td class="nowrap">${c.state_label}</td>
    <td class="nowrap ${c.overdue ? 'error' : ''}">${c.deadline || ''}</td>
    <td class="num nowrap">${amountCell(c)}</td>
    <td class="nowrap">${(c.updated_at || '').slice(0, 10)}</td>
  </tr>`);
}

function headHtml(s) {
  return html`<tr>${COLUMNS.map(([label, sort, cls]) => {
    if (!sort) return html`<th class="${cls || ''}">${label}</th>`;
    const on = s.sort === sort;
    const aria = on ? (s.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th class="${cls || ''}" aria-sort="${aria}"><button type="button" class="sort ${on ? 'on' : ''}" data-sort="${sort}"
      title="按${label}排序">${label}<span aria-hidden="true">${on ? (s.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span></button></th>`;
  })}</tr>`;
}

function options(list, selected, blank) {
  return html`<option value="">${blank}</option>${list.map((o) => html`<option value="${o.code}" ${String(o.code) === String(selected) ? 'selected' : ''}>${o.label}</option>`)}`;
}

function villageOptions(townshipId) {
  const villages = townshipId
    ? areasAt('village', Number(townshipId))
    : areasAt('township').flatMap((t) => areasAt('village', t.id).map((v) => ({ ...v, name: `${t.name} ${v.name}` })));
  return villages.map((v) => ({ code: v.id, label: v.name + (v.active ? '' : '（已停用）') }));
}

/** What the printed list says of the cases in it. */
function whichText(s, states) {
  const name = (id) => (session.areas || []).find((a) => String(a.id) === String(id))?.name;
  const parts = [s.village_id ? `${name(s.township_id) || ''} ${name(s.village_id) || ''}`.trim() : name(s.township_id) || '全县'];
  if (s.programme) parts.push(`项目：${PROGRAMMES.find((p) => p.code === s.programme)?.label}`);
  if (s.state) parts.push(`状态：${states.find((x) => x.code === s.state)?.label || s.state}`);
  if (s.q) parts.push(`搜索：“${s.q}”`);
  return parts.join(' · ');
}

export async function caseList(root, { query }) {
  document.title = '案件 - 兜底';
  const own = ownTownship();
  const s = stateFromQuery(query, own);
  let states = [];
  let pages = 1;
  let ticket = 0;
  render(root, html`<section class="page case-list">
    <header class="page-head"><h1>低保、特困案件</h1>
      <div class="actions no-print">
        <button type="button" id="case-print">打印列表</button>
        <button type="button" id="case-export">导出 Excel</button>
        <button type="button" id="notice-pdf">生成公示 PDF</button>
      </div></header>
    <form class="searchbar no-print" id="case-search-form" role="search" novalidate>
      <label class="sr-only" for="case-search">搜索案件</label>
      <input id="case-search" name="q" type="search" value="${s.q}" autocomplete="off" spellcheck="false"
        placeholder="户主姓名、拼音首字母（如 zs）、身份证号或案件编号，回车搜索">
      ${own ? '' : html`<label class="sr-only" for="case-township">乡镇（街道）</label>
        <select id="case-township" name="township_id">${options(areasAt('township').map((t) => ({ code: t.id, label: t.name })), s.township_id, '全部乡镇（街道）')}</select>`}
      <label class="sr-only" for="case-village">村（社区）</label>
      <select id="case-village" name="village_id">${options(villageOptions(s.township_id), s.village_id, '全部村（社区）')}</select>
      <label class="sr-only" for="case-programme">项目</label>
      <select id="case-programme" name="programme">${options(PROGRAMMES, s.programme, '全部项目')}</select>
      <label class="sr-only" for="case-state">状态</label>
      <select id="case-state" name="state">${options(s.state ? [{ code: s.state, label: s.state }] : [], s.state, '全部状态')}</select>
      <label class="sr-only" for="case-page-size">每页条数</label>
      <select id="case-page-size" name="page_size">${PAGE_SIZES.map((n) => html`<option value="${n}" ${n === s.page_size ? 'selected' : ''}>每页 ${n} 件</option>`)}</select>
      <button type="submit" id="case-search-submit">搜索</button>
    </form>
    <p class="summary no-print" id="case-summary" role="status"></p>
    <div class="print-only case-print">
      <p class="print-title">低保、特困案件列表</p>
      <p id="case-print-which"></p>
      <table class="grid" id="case-print-table"><thead><tr>${COLUMNS.map(([label, , cls]) => html`<th class="${cls || ''}">${label}</th>`)}</tr></thead><tbody></tbody></table>
      <p class="print-foot" id="case-print-foot"></p>
    </div>
    <table class="grid rows-clickable screen-only" id="case-list"><thead></thead><tbody></tbody></table>
    <div class="pager no-print">
      <button type="button" id="page-prev">上一页</button>
      <span id="page-info"></span>
      <button type="button" id="page-next">下一页</button>
      <span class="muted keys">回车搜索；↓ 进入列表，↑↓ 选择，回车打开；PageUp / PageDown 或 ← → 翻页。新申请请在家庭页点“登记申请”。</span>
    </div>
  </section>`);
  const $ = (sel) => root.querySelector(sel);
  const box = $('#case-search');
  const township = $('#case-township');
  const village = $('#case-village');
  const stateSelect = $('#case-state');
  const thead = $('#case-list thead');
  const tbody = $('#case-list tbody');
  const summary = $('#case-summary');
  const prev = $('#page-prev');
  const next = $('#page-next');

  async function search({ focusRow = null } = {}) {
    const mine = ++ticket;
    session.lastCaseList = addressOf(s, own);
    history.replaceState(null, '', session.lastCaseList);
    render(thead, headHtml(s));
    summary.textContent = '正在查询…';
    let r;
    try {
      r = await call('case.list', listInput(s));
    } catch (err) {
      if (mine !== ticket) return;
      summary.textContent = err.message;
      summary.classList.add('error');
      render(tbody, '');
      return;
    }
    if (mine !== ticket) return;
    // Past the last page (the list shrank since): show the last one.
    if (r.cases.length === 0 && r.total > 0 && s.page > r.pages) {
      s.page = r.pages;
      search({ focusRow });
      return;
    }
    summary.classList.remove('error');
    if (!states.length) {
      states = r.states;
      render(stateSelect, options(states, s.state, '全部状态'));
    }
    pages = r.pages;
    summary.textContent = summaryText(r, s.q);
    $('#page-info').textContent = `第 ${r.page} / ${r.pages} 页`;
    prev.disabled = r.page <= 1;
    next.disabled = r.page >= r.pages;
    render(tbody, rowsHtml(r.cases));
    const row = focusRow === 'first' ? tbody.querySelector('tr')
      : focusRow ? tbody.querySelector(`tr[data-case-id="${focusRow}"]`) : null;
    if (row) row.focus();
  }

  const turn = (delta, focusRow) => {
    const to = Math.min(pages, Math.max(1, s.page + delta));
    if (to === s.page) return;
    s.page = to;
    search({ focusRow });
  };

  $('#case-search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    s.q = box.value.trim();
    s.page = 1;
    search();
  });
  const refilter = () => { s.page = 1; search(); };
  township?.addEventListener('change', () => {
    s.township_id = township.value;
    s.village_id = '';
    render(village, options(villageOptions(s.township_id), '', '全部村（社区）'));
    refilter();
  });
  village.addEventListener('change', () => { s.village_id = village.value; refilter(); });
  $('#case-programme').addEventListener('change', (e) => { s.programme = e.target.value; refilter(); });
  stateSelect.addEventListener('change', () => { s.state = stateSelect.value; refilter(); });
  $('#case-page-size').addEventListener('change', (e) => { s.page_size = Number(e.target.value); refilter(); });
  thead.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    Object.assign(s, nextSort(s, b.dataset.sort));
    s.page = 1;
    search().then(() => thead.querySelector(`button[data-sort="${s.sort}"]`)?.focus());
  });
  prev.addEventListener('click', () => turn(-1));
  next.addEventListener('click', () => turn(1));

  const open = (tr) => {
    session.lastCaseId = tr.dataset.caseId;
    location.hash = `#/cases/${tr.dataset.caseId}`;
  };
  tbody.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-case-id]');
    if (tr && !e.target.closest('a')) open(tr);
    else if (tr) session.lastCaseId = tr.dataset.caseId;
  });
  tbody.addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-case-id]');
    if (!tr) return;
    if (e.key === 'Enter') open(tr);
    else if (e.key === 'ArrowDown' && tr.nextElementSibling) { e.preventDefault(); tr.nextElementSibling.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling || box).focus(); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); turn(1, 'first'); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); turn(-1, 'first'); }
  });
  box.addEventListener('keydown', (e) => {
    const first = tbody.querySelector('tr');
    if (e.key === 'ArrowDown' && first) { e.preventDefault(); first.focus(); }
  });
  // PageUp / PageDown anywhere in the list but in a drop-down, which uses them itself.
  root.querySelector('.case-list').addEventListener('keydown', (e) => {
    if ((e.key !== 'PageDown' && e.key !== 'PageUp') || e.target.tagName === 'SELECT') return;
    e.preventDefault();
    const inRows = Boolean(e.target.closest('#case-list tbody'));
    turn(e.key === 'PageDown' ? 1 : -1, inRows ? 'first' : null);
  });

  $('#notice-pdf').addEventListener('click', () => noticeDialog());
  $('#case-export').addEventListener('click', () => {
    const { page, page_size: size, ...input } = listInput(s);
    saveDocument({ title: '案件列表', command: 'case.export', input, fileName: `案件列表-${today()}.xlsx`, format: 'xlsx' });
  });
  $('#case-print').addEventListener('click', async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    summary.textContent = '正在准备打印全部符合条件的案件…';
    try {
      const all = [];
      let r;
      let page = 1;
      do {
        r = await call('case.list', { ...listInput(s, page), page_size: 200 });
        all.push(...r.cases);
        page += 1;
      } while (page <= r.pages);
      $('#case-print-which').textContent = `${whichText(s, states)} · 共 ${r.total} 件 · 月保障金额合计 ${grouped(r.amount_total)} 元`;
      $('#case-print-foot').textContent = `${session.user?.display_name || ''} 打印于 ${today()}（身份证号已脱敏）`;
      render($('#case-print-table tbody'), rowsHtml(all, { print: true }));
      summary.textContent = summaryText(r, s.q);
      window.print();
    } catch (err) {
      summary.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  });

  box.focus();
  await search({ focusRow: session.lastCaseId || null });
  // Coming back from a case: that row has the focus; otherwise the box does.
  if (!root.contains(document.activeElement) || document.activeElement === document.body) box.focus();
}

/** Townships (and their villages) the signed-in user may post notices for. */
function noticeAreas() {
  const own = ownTownship();
  const areas = (session.areas || []).filter((a) => a.active);
  const townships = areas.filter((a) => a.level === 'township' && (!own || a.id === own));
  const out = [];
  for (const t of townships) {
    out.push({ code: t.id, label: `${t.name}（全乡镇）` });
    for (const v of areas.filter((a) => a.parent_id === t.id && a.level === 'village')) {
      out.push({ code: v.id, label: `${t.name} ${v.name}` });
    }
  }
  return out;
}

async function noticeDialog() {
  const areas = noticeAreas();
  await saveDocument({
    title: '公示',
    command: 'document.notice',
    input: {},
    fileName: `公示-${today()}.pdf`,
    extra: [
      { name: 'area_id', label: '公示范围（村或乡镇）', type: 'select', options: areas, dtype: 'int', wide: true },
      { name: 'programme', label: '项目', type: 'select', options: PROGRAMMES, value: 'dibao' },
      { name: 'complaint_phone', label: '监督电话', required: '请填写监督电话' },
      { name: 'complaint_address', label: '监督地址', required: '请填写监督地址', wide: true },
    ],
  });
}
