// 统计报表: the chart's geometry (round axes, bars and the persons line inside the plot, gaps for
// months not run) and the report tables (names escaped, totals shown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { niceTop, chartGeometry, chartSvg } from '../../../ui/views/reports/chart.js';
import { reportBody } from '../../../ui/views/reports/reports.js';

test('axis tops are round and never below the maximum', () => {
  assert.deepEqual(niceTop(18.23), { top: 20, step: 5 });
  assert.deepEqual(niceTop(182.3), { top: 200, step: 50 });
  assert.deepEqual(niceTop(270), { top: 300, step: 100 });
  assert.deepEqual(niceTop(0), { top: 1, step: 0.2 });
  for (const max of [0.37, 3, 9.99, 41, 356, 70549, 123456]) {
    const { top, step } = niceTop(max);
    assert.ok(top >= max && top - step < max + 1e-9, `${max} → ${top}/${step}`);
  }
});

const series = Array.from({ length: 12 }, (_, i) => {
  const m = `2026-${String(i + 1).padStart(2, '0')}`;
  return i < 2 ? { month: m, run: false, amount: null, persons: null }
    : { month: m, run: true, amount: String(150000 + i * 3000) + '.00', persons: 300 + i * 5 };
});

test('bars and points stay inside the plot; months not run are gaps', () => {
  const g = chartGeometry(series, { width: 720, height: 260 });
  assert.equal(g.bars.length, 10);
  assert.equal(g.gaps.length, 2);
  assert.equal(g.points.length, 10);
  for (const b of g.bars) {
    assert.ok(b.y >= g.yTop - 1e-6 && b.y + b.h <= g.yBase + 1e-6 && b.h > 0, JSON.stringify(b));
    assert.ok(b.x >= g.x0 && b.x + b.w <= g.x1);
  }
  for (const p of g.points) assert.ok(p.y >= g.yTop - 1e-6 && p.y <= g.yBase);
  // The largest spending is the tallest bar; more persons is higher up.
  const tallest = g.bars.reduce((a, b) => (b.h > a.h ? b : a));
  assert.equal(tallest.month, '2026-12');
  assert.ok(g.points[9].y < g.points[0].y);
  // Ticks run from 0 at the base to the top of the axis.
  assert.equal(g.ticks[0].left, 0);
  assert.equal(g.ticks[0].y, g.yBase);
  assert.equal(g.ticks.at(-1).y, g.yTop);
});

test('the SVG names each bar by month and amount', () => {
  const svg = String(chartSvg(series));
  assert.match(svg, /<svg class="chart"/);
  assert.match(svg, /2026-12：支出 183000\.00 元，保障 355 人/);
  assert.equal((svg.match(/未发放/g) || []).length, 2);
});

test('the report shows its totals and escapes township names', () => {
  const r = {
    month: '2026-11', state_label: '已锁定',
    lines: [{ township_name: '城关<b>街道', programme_label: '低保', urban_rural_label: '城市', households: 31, persons: 89, new: 1, exits: 0, amount: '50842.30', amount_wan: '5.08' }],
    total: { households: 31, persons: 89, new: 1, exits: 0, amount: '50842.30', amount_wan: '5.08' },
    structure: [{ label: '合计', total: 89, male: 40, female: 49, under_18: 20, age_18_59: 50, over_60: 19, disabled: 9, severe: 3, labour_full: 40, labour_partial: 20, labour_none: 29 }],
    temp_aid: { payments: 2, households: 2, amount: '3000.00', amount_wan: '0.30' },
    deliberation: { payments: 0, households: 0, amount: '0.00', amount_wan: '0.00' },
    split: [{ label: '低保金', amount: '50842.30', amount_wan: '5.08' }, { label: '价格临时补贴', amount: '0.00', amount_wan: '0.00' }, { label: '其他', amount: '3000.00', amount_wan: '0.30' }],
    total_amount: '53842.30', total_amount_wan: '5.38', series,
    routes: [
      { route: 'roster', route_label: '月度发放花名册', programme: 'dibao', programme_label: '低保', payments: 31, households: 31, amount: '50842.30', amount_wan: '5.08' },
      { route: 'advance', route_label: '先行救助（乡镇备用金）', programme: 'temp_aid', programme_label: '临时救助', payments: 2, households: 2, amount: '3000.00', amount_wan: '0.30' },
    ],
  };
  const out = String(reportBody(r));
  assert.ok(out.includes('城关&lt;b&gt;街道'));
  assert.ok(!out.includes('城关<b>街道'));
  assert.match(out, /id="report-total">50,842\.30</);
  assert.match(out, /id="report-spending">53,842\.30</);
  assert.match(out, /<td class="num">49<\/td>/);
  assert.match(out, /发放途径：先行救助（乡镇备用金）·临时救助<\/td>\s*<td class="num">2<\/td>/);
});
