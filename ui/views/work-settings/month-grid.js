// The working-day calendar as the office sees it: each day of a month is a workday, a weekend day,
// a holiday (a weekday off) or a make-up workday (a weekend day worked, 调休上班). Pure: dates are
// 'yyyy-mm-dd' strings and arithmetic is in UTC, so the result never depends on the time zone.

export const WEEKDAYS = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
/** Column heads of a month, Monday first as on Chinese calendars. */
export const WEEK_HEAD = ['一', '二', '三', '四', '五', '六', '日'];

export const KIND_LABELS = {
  workday: '工作日',
  weekend: '周末',
  holiday: '节假日',
  makeup: '调休上班',
};

/** What a stored calendar entry's kind means, in words. */
export const ENTRY_LABELS = { holiday: '节假日', workday: '调休上班' };

const pad = (n) => String(n).padStart(2, '0');

function parse(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date) {
  return (parse(date).getUTCDay() + 6) % 7;
}

/** '2026-10-01' → '星期四'. */
export function weekdayLabel(date) {
  return WEEKDAYS[weekdayIndex(date)];
}

export function isWeekend(date) {
  return weekdayIndex(date) >= 5;
}

export function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar entries of calendar.list keyed by date. */
export function byDate(entries) {
  const map = new Map();
  for (const e of entries || []) map.set(e.date, e);
  return map;
}

/**
 * What a day is: 'workday', 'weekend', 'holiday' or 'makeup'. An entry only counts where it makes
 * sense (a holiday on a weekday, a make-up workday on a weekend), as calendar.set enforces.
 */
export function dayKind(date, entries) {
  const e = entries.get(date);
  const weekend = isWeekend(date);
  if (e && e.kind === 'holiday' && !weekend) return 'holiday';
  if (e && e.kind === 'workday' && weekend) return 'makeup';
  return weekend ? 'weekend' : 'workday';
}

export function isWorkingKind(kind) {
  return kind === 'workday' || kind === 'makeup';
}

/**
 * The weeks of a month, Monday first: each week has seven cells, null before the 1st and after
 * the last day, otherwise {date, day, kind, note}. `entries` is a Map from byDate().
 */
export function monthWeeks(year, month, entries) {
  const first = `${year}-${pad(month)}-01`;
  const cells = Array(weekdayIndex(first)).fill(null);
  const n = daysInMonth(year, month);
  for (let d = 1; d <= n; d++) {
    const date = `${year}-${pad(month)}-${pad(d)}`;
    const e = entries.get(date);
    cells.push({ date, day: d, kind: dayKind(date, entries), note: e ? e.note : '' });
  }
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The number of working days in a month (weekdays not off, plus make-up weekend days). */
export function workingDays(year, month, entries) {
  let count = 0;
  for (const week of monthWeeks(year, month, entries)) {
    for (const c of week) if (c && isWorkingKind(c.kind)) count++;
  }
  return count;
}

/** A day's hover text: '2026-10-01 星期四 节假日：国庆节'. */
export function cellTitle(cell) {
  const what = KIND_LABELS[cell.kind];
  return `${cell.date} ${weekdayLabel(cell.date)} ${what}${cell.note ? `：${cell.note}` : ''}`;
}
