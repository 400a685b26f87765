// The meeting page's live arithmetic, pure: the quorum, the tally of opinions on a case and
// whether a grant has its majority, and who entered each opinion. The same rules as workflow/deliberation/meeting.rs; the
// server checks again when the decision is recorded.

import { yuan as grouped } from '../../lib/format.js';

/** Whether `count` of `base` reaches a rule: more_than_half, at_least_half,
 *  at_least_two_thirds, all. Nothing of nothing never does. */
export function thresholdMet(rule, count, base) {
  if (!base || !count) return false;
  switch (rule) {
    case 'at_least_half': return count * 2 >= base;
    case 'at_least_two_thirds': return count * 3 >= base * 2;
    case 'all': return count >= base;
    default: return count * 2 > base;
  }
}

/** Units invited (应到), present (实到), and whether the quorum is met. */
export function quorumStatus(attendance, rule) {
  const expected = attendance.length;
  const present = attendance.filter((a) => a.status === 'present').length;
  return { expected, present, met: thresholdMet(rule, present, expected) };
}

/** Count the opinions of present units on one case; present units without one are silent. */
export function tallyOf(opinions, attendance) {
  const present = new Set(attendance.filter((a) => a.status === 'present').map((a) => a.unit));
  const t = { agree: 0, agree_with_changes: 0, disagree: 0, silent: 0, in_favour: 0 };
  for (const o of opinions) {
    if (!present.has(o.unit) || !(o.opinion in t)) continue;
    t[o.opinion] += 1;
  }
  t.in_favour = t.agree + t.agree_with_changes;
  t.silent = Math.max(0, present.size - t.in_favour - t.disagree);
  return t;
}

/** Whether the units present in favour reach the majority rule. */
export function majorityMet(tally, presentCount, rule) {
  return thresholdMet(rule, tally.in_favour, presentCount);
}

/** Sum of yuan strings in fen, or null if one is not a yuan amount. */
export function sumFen(amounts) {
  let total = 0;
  for (const a of amounts) {
    const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(String(a ?? ''));
    if (!m) return null;
    total += Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
  }
  return total;
}

/** Fen as a yuan string: 1234550 → "12345.50". */
export function yuan(fen) {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** What the meeting decided on an item, as one sentence: 同意救助，救助 15000.00 元，…. */
export function decisionText(item) {
  const label = { approve: '同意救助', reject: '不予救助', refer: '转介常规救助', defer: '未作决定，移出议程' }[item.decision];
  return [label, item.approved_amount ? `救助 ${grouped(item.approved_amount)} 元` : '', item.decision_note || '']
    .filter(Boolean).join('，');
}

/** Who entered a unit's opinion: its own user, or a county user from its signed paper opinion. */
export function enteredBy(o) {
  if (!o.recorded_by) return '';
  return o.paper_ref ? `${o.recorded_by}据书面意见录入（${o.paper_ref}）` : `${o.recorded_by}登记`;
}
