// 工作日历: the workflow's time limits (办理时限) and a year's holidays and make-up workdays, with
// the whole year drawn month by month. Everyone reads (deadlines depend on it); the administrator
// sets the limits and enters the State Council's arrangement for each year.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, today } from '../../lib/forms.js';
import { can } from '../../lib/session.js';
import { confirmDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import {
  WEEK_HEAD, KIND_LABELS, ENTRY_LABELS, byDate, monthWeeks, workingDays, weekdayLabel, cellTitle,
} from './month-grid.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./work-settings.css', import.meta.url));

const NOTICE_DAY_KINDS = [
  { code: 'calendar', label: '自然日' },
  { code: 'workdays', label: '工作日（遇周末、节假日顺延）' },
];

const KIND_OPTIONS = [
  { code: 'holiday', label: '节假日（工作日放假）' },
  { code: 'workday', label: '调休上班（周末上班）' },
];

/** The time limits: a form for the administrator, a table for everyone else. */
function limitsSection(fields, noticeDayKind, admin) {
  const kindLabel = (NOTICE_DAY_KINDS.find((k) => k.code === noticeDayKind) || NOTICE_DAY_KINDS[0]).label;
  if (!admin) {
    return html`<table class="grid ws-limits" id="ws-limits">
      <thead><tr><th>时限</th><th class="num">现行值</th><th class="num">可设范围</th></tr></thead>
      <tbody>${fields.map((f) => html`<tr data-key="${f.key}"><td>${f.label}</td><td class="num mono">${f.value}</td>
        <td class="num muted">${f.min}–${f.max}</td></tr>`)}
        <tr data-key="notice_day_kind"><td>公示天数计算方式</td><td class="num">${kindLabel}</td><td></td></tr></tbody>
    </table>`;
  }
  return html`<form id="ws-limits-form" class="panel" novalidate>
    <div class="grid-fields ws-limit-fields">
      ${fields.map((f) => field({
        name: f.key, label: f.label, type: 'number', value: f.value, dtype: 'int',
        required: `请填写${f.label}`, hint: `${f.min}–${f.max}`,
        attrs: html`min="${f.min}" max="${f.max}" step="1" inputmode="numeric" class="num"`,
      }))}
      ${field({
        name: 'notice_day_kind', label: '公示天数计算方式', type: 'select', value: noticeDayKind || 'calendar',
        options: NOTICE_DAY_KINDS, id: 'ws-notice-day-kind',
      })}
    </div>
    <div class="form-error" role="alert"></div>
    <div class="form-actions"><button type="submit" class="primary" id="ws-limits-save">保存时限</button></div>
  </form>`;
}

function monthTable(year, month, entries) {
  const weeks = monthWeeks(year, month, entries);
  const now = today();
  return html`<table class="ws-month" aria-label="${year} 年 ${month} 月">
    <caption>${month} 月 <span class="muted">工作日 ${workingDays(year, month, entries)} 天</span></caption>
    <thead><tr>${WEEK_HEAD.map((d) => html`<th scope="col">${d}</th>`)}</tr></thead>
    <tbody>${weeks.map((w) => html`<tr>${w.map((c) => (c
      ? html`<td class="ws-day ${c.kind}${c.date === now ? ' today' : ''}" title="${cellTitle(c)}">${c.day}</td>`
      : html`<td class="ws-blank"></td>`))}</tr>`)}</tbody>
  </table>`;
}

function yearGrid(year, entries) {
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  let total = 0;
  for (const m of months) total += workingDays(year, m, entries);
  return html`
    <p class="ws-legend">
      ${['workday', 'weekend', 'holiday', 'makeup'].map((k) => html`<span class="ws-key ${k}">${KIND_LABELS[k]}</span>`)}
      <span class="muted">全年工作日 ${total} 天</span>
    </p>
    <div class="ws-months">${months.map((m) => monthTable(year, m, entries))}</div>`;
}

function entriesTable(days, admin) {
  if (!days.length) return html`<p class="muted" id="ws-empty">这一年还没有登记节假日或调休上班日，除周末外每天按工作日计算。</p>`;
  return html`<table class="grid ws-entries" id="ws-entries">
    <thead><tr><th>日期</th><th>星期</th><th>类型</th><th>说明</th>${admin ? html`<th class="no-print">操作</th>` : ''}</tr></thead>
    <tbody>${days.map((d) => html`<tr data-date="${d.date}" class="${d.kind}">
      <td class="mono nowrap">${d.date}</td><td class="nowrap">${weekdayLabel(d.date)}</td>
      <td class="nowrap"><span class="ws-key ${d.kind === 'workday' ? 'makeup' : 'holiday'}">${ENTRY_LABELS[d.kind] || d.kind}</span></td>
      <td>${d.note}</td>
      ${admin ? html`<td class="row-actions no-print"><button type="button" class="link danger" data-act="remove">删除</button></td>` : ''}
    </tr>`)}</tbody>
  </table>`;
}

export async function workSettingsView(root, { query }) {
  document.title = '工作日历 - 兜底';
  const admin = can('admin');
  const asked = Number(query.get('year'));
  let year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(today().slice(0, 4));
  let [settings, calendar] = await Promise.all([call('workflow.settings'), call('calendar.list', { year })]);

  render(root, html`
    <section class="page work-settings" id="work-settings-page">
      <div class="page-head"><h1>工作日历和办理时限</h1>
        <div class="actions"><button type="button" id="ws-print">打印</button></div>
      </div>
      <p class="banner" id="ws-notice">节假日和调休安排以国务院办公厅每年发布的通知为准，请管理员每年年底录入下一年的安排。</p>
      <h2>办理时限</h2>
      <p class="muted">标明“工作日”的时限跳过周末和下面登记的节假日，调休上班日照常计入；公示天数按自然日计算。保存后各案件的办理期限随即按新时限计算；已开始的公示仍按开始时的天数。${
        admin ? '' : '只有管理员可以修改。'}</p>
      <div id="ws-limits-box"></div>
      <div class="ws-year-head">
        <h2 id="ws-year-title"></h2>
        <div class="ws-year-nav no-print">
          <button type="button" id="ws-prev" aria-label="上一年">‹ 上一年</button>
          <button type="button" id="ws-this">今年</button>
          <button type="button" id="ws-next" aria-label="下一年">下一年 ›</button>
        </div>
      </div>
      ${admin ? html`<form id="ws-add" class="filterbar no-print" novalidate>
        ${field({ name: 'date', label: '日期', type: 'date', required: '请填写日期', id: 'ws-add-date' })}
        ${field({ name: 'kind', label: '类型', type: 'select', options: KIND_OPTIONS, id: 'ws-add-kind' })}
        ${field({ name: 'note', label: '说明', hint: '如 国庆节、国庆调休；最多 40 字', attrs: html`maxlength="40"`, id: 'ws-add-note' })}
        <button type="submit" class="primary" id="ws-add-submit">登记</button>
        <div class="form-error" role="alert"></div>
      </form>` : ''}
      <div class="ws-calendar">
        <div id="ws-entries-box"></div>
        <div id="ws-grid-box"></div>
      </div>
    </section>
  `);

  const limitsBox = root.querySelector('#ws-limits-box');
  const entriesBox = root.querySelector('#ws-entries-box');
  const gridBox = root.querySelector('#ws-grid-box');

  function drawLimits() {
    render(limitsBox, limitsSection(settings.fields, settings.notice_day_kind, admin));
    if (!admin) return;
    const form = limitsBox.querySelector('#ws-limits-form');
    onSubmit(form, async (input) => {
      settings = await call('workflow.set_settings', input);
      drawLimits();
      toast('办理时限已保存');
      limitsBox.querySelector('#ws-limits-save').focus();
    });
  }

  function drawYear() {
    root.querySelector('#ws-year-title').textContent = `${year} 年节假日和调休上班日`;
    render(entriesBox, entriesTable(calendar.days, admin));
    render(gridBox, yearGrid(year, byDate(calendar.days)));
  }

  async function showYear(y, focusSel) {
    calendar = await call('calendar.list', { year: y });
    year = calendar.year;
    drawYear();
    if (focusSel) root.querySelector(focusSel)?.focus();
  }

  drawLimits();
  drawYear();
  if (admin) limitsBox.querySelector('input')?.focus();

  root.querySelector('#ws-print').addEventListener('click', () => window.print());
  root.querySelector('#ws-prev').addEventListener('click', () => showYear(year - 1, '#ws-prev'));
  root.querySelector('#ws-next').addEventListener('click', () => showYear(year + 1, '#ws-next'));
  root.querySelector('#ws-this').addEventListener('click', () => showYear(Number(today().slice(0, 4)), '#ws-this'));

  if (admin) {
    const add = root.querySelector('#ws-add');
    onSubmit(add, async (input) => {
      const { day } = await call('calendar.set', input);
      toast(`已登记 ${day.date} ${ENTRY_LABELS[day.kind]}${day.note ? `（${day.note}）` : ''}`);
      add.elements.date.value = '';
      // Keep the kind and note: a holiday usually spans several days.
      await showYear(Number(String(day.date).slice(0, 4)));
      add.elements.date.focus();
    });
    entriesBox.addEventListener('click', async (e) => {
      const btn = e.target.closest('button[data-act="remove"]');
      if (!btn) return;
      const date = btn.closest('tr').dataset.date;
      const d = calendar.days.find((x) => x.date === date);
      const what = `${date} ${weekdayLabel(date)} ${ENTRY_LABELS[d.kind] || d.kind}${d.note ? `（${d.note}）` : ''}`;
      const ok = await confirmDialog('删除日历登记', `删除“${what}”？删除后这一天按${
        d.kind === 'holiday' ? '工作日' : '周末'}计算，相关案件的期限随即改变。`, '删除');
      if (!ok) return;
      try {
        await call('calendar.remove', { date });
        toast(`已删除 ${date}`);
        await showYear(year);
        (root.querySelector('#ws-entries [data-act="remove"]') || root.querySelector('#ws-add-date'))?.focus();
      } catch (err) {
        toast(err.message, 'error');
      }
    });
  }
}
