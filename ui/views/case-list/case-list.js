// 案件列表: 低保/特困 cases by programme and state (township staff see their township's).

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, today } from '../../lib/forms.js';
import { session, ownTownship } from '../../lib/session.js';
import { saveDocument } from '../../components/documents/documents.js';

const STATES = [
  ['applied', '已申请'], ['accepted', '已受理'], ['investigated', '已调查'], ['township_reviewed', '乡镇已审核'],
  ['on_notice', '公示中'], ['enrolled', '在保'], ['phasing_out', '渐退期'], ['exited', '已退出'], ['refused', '不予批准'],
].map(([code, label]) => ({ code, label }));
const PROGRAMMES = [{ code: 'dibao', label: '低保' }, { code: 'tekun', label: '特困' }];

export async function caseList(root, { query }) {
  document.title = '案件 - 兜底';
  const filter = { state: query.get('state') || '', programme: query.get('programme') || '' };
  const input = {};
  if (filter.state) input.state = filter.state;
  if (filter.programme) input.programme = filter.programme;
  const { cases } = await call('case.list', input);
  render(root, html`<section class="page">
    <header class="page-head"><h1>低保、特困案件</h1>
      <div class="actions no-print"><button type="button" id="notice-pdf">生成公示 PDF</button></div></header>
    <form class="filters no-print" id="case-filter">
      ${field({ name: 'programme', label: '项目', type: 'select', blank: '全部', options: PROGRAMMES, value: filter.programme })}
      ${field({ name: 'state', label: '状态', type: 'select', blank: '全部', options: STATES, value: filter.state })}
      <button type="submit">筛选</button>
    </form>
    <p class="muted">共 ${cases.length} 件。新申请请在家庭页点“登记申请”。</p>
    <table class="grid" id="case-list">
      <thead><tr><th>编号</th><th>项目</th><th>户主</th><th>乡镇 / 村</th><th>申请日期</th><th>状态</th><th>期限</th><th class="num">本月金额（元）</th></tr></thead>
      <tbody>${cases.map((c) => html`<tr class="${c.overdue ? 'overdue' : ''}">
        <td class="mono"><a href="#/cases/${c.id}">${c.number}</a></td>
        <td>${c.programme === 'tekun' ? '特困' : '低保'}</td>
        <td class="strong">${c.head_name}</td>
        <td>${c.township_name} ${c.village_name}</td>
        <td class="nowrap">${c.applied_on}</td>
        <td class="nowrap">${c.state_label}</td>
        <td class="nowrap ${c.overdue ? 'error' : ''}">${c.deadline || ''}</td>
        <td class="num">${c.current_amount || ''}</td>
      </tr>`)}</tbody>
    </table>
  </section>`);
  root.querySelector('#notice-pdf').addEventListener('click', () => noticeDialog());
  root.querySelector('#case-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target;
    const q = new URLSearchParams();
    if (f.programme.value) q.set('programme', f.programme.value);
    if (f.state.value) q.set('state', f.state.value);
    location.hash = '/cases' + (q.toString() ? '?' + q : '');
  });
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
