// 工作日历: each day of a month reads as workday, weekend, holiday or make-up workday, weeks start
// on Monday, and the month's working days count holidays out and make-up days in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  weekdayLabel, daysInMonth, byDate, dayKind, monthWeeks, workingDays, cellTitle,
} from '../../../ui/views/work-settings/month-grid.js';

// 2026 国庆: 10-01..10-07 off (10-03, 10-04 are a weekend anyway), Saturday 10-10 worked.
const october = byDate([
  { date: '2026-10-01', kind: 'holiday', note: '国庆节' },
  { date: '2026-10-02', kind: 'holiday', note: '国庆节' },
  { date: '2026-10-05', kind: 'holiday', note: '国庆节' },
  { date: '2026-10-06', kind: 'holiday', note: '国庆节' },
  { date: '2026-10-07', kind: 'holiday', note: '国庆节' },
  { date: '2026-10-10', kind: 'workday', note: '国庆调休' },
]);

test('weekdays in Chinese, whatever the time zone', () => {
  assert.equal(weekdayLabel('2026-10-01'), '星期四');
  assert.equal(weekdayLabel('2026-10-10'), '星期六');
  assert.equal(weekdayLabel('2027-01-01'), '星期五');
  assert.equal(weekdayLabel('2024-02-29'), '星期四');
});

test('month lengths, leap years included', () => {
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2026, 2), 28);
  assert.equal(daysInMonth(2100, 2), 28);
  assert.equal(daysInMonth(2026, 12), 31);
});

test('a day is a workday, weekend, holiday or make-up workday', () => {
  assert.equal(dayKind('2026-10-01', october), 'holiday');
  assert.equal(dayKind('2026-10-03', october), 'weekend');
  assert.equal(dayKind('2026-10-08', october), 'workday');
  assert.equal(dayKind('2026-10-10', october), 'makeup');
  assert.equal(dayKind('2026-10-11', october), 'weekend');
});

test('an entry that contradicts the weekday does not change the day', () => {
  const odd = byDate([{ date: '2026-10-03', kind: 'holiday', note: '' }, { date: '2026-10-08', kind: 'workday', note: '' }]);
  assert.equal(dayKind('2026-10-03', odd), 'weekend');
  assert.equal(dayKind('2026-10-08', odd), 'workday');
});

test('weeks start on Monday with blanks before the 1st and after the last day', () => {
  const weeks = monthWeeks(2026, 10, october);
  assert.equal(weeks.length, 5);
  assert.deepEqual(weeks[0].map((c) => c && c.day), [null, null, null, 1, 2, 3, 4]);
  assert.deepEqual(weeks[4].map((c) => c && c.day), [26, 27, 28, 29, 30, 31, null]);
  assert.deepEqual(weeks[1].map((c) => c.kind), ['holiday', 'holiday', 'holiday', 'workday', 'workday', 'makeup', 'weekend']);
  assert.equal(weeks[1][5].note, '国庆调休');
  // February 2026 begins on a Sunday: six blanks, then 28 days in five rows.
  const feb = monthWeeks(2026, 2, new Map());
  assert.equal(feb.length, 5);
  assert.deepEqual(feb[0].map((c) => c && c.day), [null, null, null, null, null, null, 1]);
  assert.equal(feb.flat().filter(Boolean).length, 28);
});

test('working days: holidays out, make-up days in', () => {
  assert.equal(workingDays(2026, 10, new Map()), 22);
  assert.equal(workingDays(2026, 10, october), 18);
  assert.equal(workingDays(2026, 2, new Map()), 20);
});

test('a day says what it is on hover', () => {
  assert.equal(cellTitle(monthWeeks(2026, 10, october)[0][3]), '2026-10-01 星期四 节假日：国庆节');
  assert.equal(cellTitle(monthWeeks(2026, 10, october)[1][6]), '2026-10-11 星期日 周末');
});
