// 家庭列表: one search box (name, ID-number prefix or pinyin initials; the server decides which),
// township/village filters, paged results. Enter searches; a row opens with a click or Enter.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { href } from '../../lib/router.js';
import { session, can, ownTownship, areasAt, label } from '../../lib/session.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./household-list.css', import.meta.url));

const PAGE_SIZE = 20;

function villageOptions(townshipId, selected) {
  const opt = (v) => html`<option value="${v.id}" ${String(v.id) === String(selected) ? 'selected' : ''}>${v.name}${v.active ? '' : '（已停用）'}</option>`;
  if (townshipId) return areasAt('village', Number(townshipId)).map(opt);
  return areasAt('township').map((t) => html`<optgroup label="${t.name}">${areasAt('village', t.id).map(opt)}</optgroup>`);
}

export async function householdList(root, { query }) {
  document.title = '家庭 - 兜底';
  const own = ownTownship();
  const state = {
    q: query.get('q') || '',
    township_id: own ? String(own) : query.get('t') || '',
    village_id: query.get('v') || '',
    page: Math.max(1, Number(query.get('p')) || 1),
  };
  render(root, html`
    <section class="page household-list">
      <div class="page-head">
        <h1>家庭</h1>
        ${can('writeRegistry') ? html`<a class="button primary" id="household-new" href="#/households/new">新增家庭</a>` : ''}
      </div>
      <form class="searchbar" id="household-search-form" role="search" novalidate>
        <label class="sr-only" for="household-search">搜索家庭</label>
        <input id="household-search" name="q" type="search" value="${state.q}" autocomplete="off" spellcheck="false"
          placeholder="姓名、身份证号开头或拼音首字母（如 zs），回车搜索">
        ${own ? '' : html`
          <label class="sr-only" for="household-township">乡镇（街道）</label>
          <select id="household-township" name="township_id">
            <option value="">全部乡镇（街道）</option>
            ${areasAt('township').map((t) => html`<option value="${t.id}" ${String(t.id) === state.township_id ? 'selected' : ''}>${t.name}</option>`)}
          </select>`}
        <label class="sr-only" for="household-village">村（社区）</label>
        <select id="household-village" name="village_id">
          <option value="">全部村（社区）</option>
          ${villageOptions(state.township_id, state.village_id)}
        </select>
        <button type="submit" id="household-search-submit">搜索</button>
      </form>
      <p class="summary" id="household-summary" role="status"></p>
      <table class="grid rows-clickable" id="household-results">
        <thead><tr>
          <th class="num">户编号</th><th>户主</th><th>身份证号</th>${own ? '' : html`<th>乡镇（街道）</th>`}
          <th>村（社区）</th><th>组</th><th>住址</th><th>户籍</th><th>在册成员</th>
        </tr></thead>
        <tbody></tbody>
      </table>
      <div class="pager">
        <button type="button" id="page-prev">上一页</button>
        <span id="page-info"></span>
        <button type="button" id="page-next">下一页</button>
      </div>
    </section>
  `);
  const form = root.querySelector('#household-search-form');
  const box = root.querySelector('#household-search');
  const township = root.querySelector('#household-township');
  const village = root.querySelector('#household-village');
  const tbody = root.querySelector('#household-results tbody');
  const summary = root.querySelector('#household-summary');
  const prev = root.querySelector('#page-prev');
  const next = root.querySelector('#page-next');
  const info = root.querySelector('#page-info');
  let pages = 1;
  let ticket = 0;

  async function search() {
    const mine = ++ticket;
    // Keep the query in the address so 返回 comes back to the same list.
    session.lastList = href('/households', {
      q: state.q, t: own ? '' : state.township_id, v: state.village_id, p: state.page > 1 ? state.page : '',
    });
    history.replaceState(null, '', session.lastList);
    summary.textContent = '正在搜索…';
    let r;
    try {
      r = await call('household.search', {
        q: state.q,
        township_id: state.township_id ? Number(state.township_id) : null,
        village_id: state.village_id ? Number(state.village_id) : null,
        page: state.page,
        page_size: PAGE_SIZE,
      });
    } catch (err) {
      if (mine !== ticket) return;
      summary.textContent = err.message;
      summary.classList.add('error');
      render(tbody, '');
      return;
    }
    if (mine !== ticket) return;
    summary.classList.remove('error');
    pages = Math.max(1, r.pages);
    summary.textContent = r.total === 0
      ? (state.q ? `没有找到与“${state.q}”相符的家庭` : '没有符合条件的家庭')
      : `共 ${r.total} 户`;
    info.textContent = `第 ${r.page} / ${pages} 页`;
    prev.disabled = r.page <= 1;
    next.disabled = r.page >= pages;
    render(tbody, r.items.map((h) => html`
      <tr data-household-id="${h.id}" tabindex="0">
        <td class="num">${h.id}</td>
        <td class="strong">${h.head_name ?? html`<span class="muted">（无户主）</span>`}</td>
        <td class="mono">${h.head_id_number ?? ''}</td>
        ${own ? '' : html`<td>${h.township_name}</td>`}
        <td>${h.village_name}</td>
        <td>${h.group_name ?? ''}</td>
        <td class="clip">${h.address}</td>
        <td>${label('hukou', h.hukou)}</td>
        <td class="clip">${h.member_names.join('、')}</td>
      </tr>`));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.q = box.value.trim();
    state.page = 1;
    search();
  });
  township?.addEventListener('change', () => {
    state.township_id = township.value;
    state.village_id = '';
    render(village, html`<option value="">全部村（社区）</option>${villageOptions(state.township_id, '')}`);
    state.page = 1;
    search();
  });
  village.addEventListener('change', () => {
    state.village_id = village.value;
    state.page = 1;
    search();
  });
  prev.addEventListener('click', () => { if (state.page > 1) { state.page--; search(); } });
  next.addEventListener('click', () => { if (state.page < pages) { state.page++; search(); } });

  const open = (tr) => { location.hash = `#/households/${tr.dataset.householdId}`; };
  tbody.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-household-id]');
    if (tr) open(tr);
  });
  tbody.addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-household-id]');
    if (!tr) return;
    if (e.key === 'Enter') open(tr);
    else if (e.key === 'ArrowDown' && tr.nextElementSibling) { e.preventDefault(); tr.nextElementSibling.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling || box).focus(); }
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      const first = tbody.querySelector('tr');
      if (first) { e.preventDefault(); first.focus(); }
    }
  });

  box.focus();
  box.select();
  await search();
}
