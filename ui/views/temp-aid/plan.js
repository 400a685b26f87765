// Pure helpers of the 临时救助 pages: yuan strings ↔ fen without floats, the staged payment plan
// split evenly, months, deadlines in words, and which inputs each step asks for.

/** '1,234.5' → 123450; null when the text is not a non-negative amount with at most 2 decimals. */
export function fenOf(text) {
  const t = String(text ?? '').trim().replace(/[,，]/g, '');
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

/** 123450 → '1234.50' (the form the server takes and returns). */
export function yuanOf(fen) {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** '2026-11' + 2 → '2027-01'. */
export function addMonths(month, k) {
  const [y, m] = month.split('-').map(Number);
  const n = y * 12 + (m - 1) + k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/**
 * The plan of 一次审批、分阶段救助: what the total leaves after the advance, split into `stages`
 * monthly parts from `firstMonth`; the fen that do not divide go to the last stage. Returns [] when
 * nothing is left to pay, null when the amounts are not valid or the advance exceeds the total.
 */
export function splitEvenly(totalYuan, advanceYuan, stages, firstMonth) {
  const total = fenOf(totalYuan);
  const advance = fenOf(advanceYuan || '0');
  const n = Math.trunc(Number(stages));
  if (total === null || advance === null || !(n >= 1) || advance > total) return null;
  const rest = total - advance;
  if (rest === 0) return [];
  const part = Math.floor(rest / n);
  if (part === 0) return null;
  return Array.from({ length: n }, (_, i) => ({
    month: addMonths(firstMonth, i),
    amount: yuanOf(i === n - 1 ? rest - part * (n - 1) : part),
  }));
}

/** Sum of a plan's amounts, as a yuan string; null if any amount is not valid. */
export function planTotal(plan) {
  let sum = 0;
  for (const s of plan) {
    const f = fenOf(s.amount);
    if (f === null) return null;
    sum += f;
  }
  return yuanOf(sum);
}

/** '2026-11-30' and overdue → '已逾期（2026-11-30）'. */
export function deadlineText(deadline, overdue) {
  if (!deadline) return '';
  return overdue ? `已逾期（${deadline}）` : `${deadline} 前`;
}

/** The inputs a step asks for, by action code: kinds are text, note (optional text), amount, plan, stage. */
export const ACTION_INPUTS = {
  accept: [],
  record_survey: [['findings', 'text', '入户调查情况']],
  grant_advance: [['amount', 'amount', '先行救助金额（元）']],
  complete_paperwork: [['findings', 'text', '事后补充说明（补齐的材料和调查情况）']],
  record_county_home_check: [['findings', 'text', '县级入户核查情况']],
  override_repeat: [['reason', 'text', '特批理由']],
  approve_township: [['amount', 'amount', '审批救助总额（元，含已先行救助）'], ['stages', 'plan', '分阶段发放计划']],
  refer_to_county: [['opinion', 'text', '乡镇审核意见']],
  refuse_township: [['reasons', 'text', '不予救助的理由（将书面告知申请人）']],
  approve_county: [['amount', 'amount', '审批救助总额（元，含已先行救助）'], ['stages', 'plan', '分阶段发放计划']],
  refuse_county: [['reasons', 'text', '不予救助的理由（将书面告知申请人）']],
  pay_stage: [['stage_no', 'stage', '发放阶段'], ['reason', 'note', '提前发放的理由（早于计划月份登记发放时必填）']],
};

/** Steps that refuse or move money get the danger style on their button. */
export function isWeighty(action) {
  return ['refuse_township', 'refuse_county', 'grant_advance', 'approve_township', 'approve_county'].includes(action);
}
