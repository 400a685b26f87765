// The form of each step a user may take on a 低保/特困 case: which inputs it asks for, in the
// command's own field names, so a refused step's message lands beside the input it names.

/** Where a work-queue item opens. */
export function itemHref(item) {
  const base = {
    case: '#/cases/', temp_aid: '#/temp-aid/', deliberation: '#/deliberation/', meeting: '#/meetings/',
  }[item.kind];
  return base ? base + item.id : '#/queue';
}

const DATE = { name: 'date', label: '办理日期', type: 'date', hint: '默认今天；补录纸质材料时填实际日期' };

/**
 * Inputs of a step, as field() descriptors. `c` is the case (for defaults and the township's
 * staff who may sign a survey).
 */
export function stepFields(code, c) {
  switch (code) {
    case 'accept':
      return [DATE];
    case 'record_verification':
      return [DATE, { name: 'summary', label: '核对报告摘要', type: 'textarea', required: '请填写核对报告摘要', wide: true }];
    case 'record_survey':
      return [DATE, { name: 'investigator_ids', label: '调查人员（至少 2 人）', type: 'staff', staff: c.township_staff || [] },
        { name: 'findings', label: '入户调查情况', type: 'textarea', required: '请填写入户调查情况', wide: true }];
    case 'record_appraisal':
      return [DATE, { name: 'summary', label: '民主评议情况（参加人员、表决结果）', type: 'textarea', required: '请填写民主评议情况', wide: true }];
    case 'record_county_home_check':
      return [DATE, { name: 'findings', label: '县级入户核查情况', type: 'textarea', required: '请填写核查情况', wide: true }];
    case 'review_township':
      return [DATE, { name: 'opinion', label: '乡镇审核意见', type: 'textarea', required: '请填写审核意见', wide: true }];
    case 'start_notice':
      return [DATE, { name: 'start', label: '公示开始日期', type: 'date', hint: '默认为办理日期' }];
    case 'record_objection':
      return [DATE, { name: 'summary', label: '异议内容', type: 'textarea', required: '请填写异议内容', wide: true,
        hint: '登记后案件退回重新核对和入户调查' }];
    case 'approve':
      return [DATE, { name: 'review_class', label: '动态管理类别', type: 'select', value: 'A', options: REVIEW_CLASSES,
        hint: '金额由系统按保障标准和家庭收入计算，从审批次月起发放' }];
    case 'refuse':
      return [DATE, { name: 'reasons', label: '不予批准的理由', type: 'textarea', required: '请填写理由（将书面告知申请人）', wide: true }];
    case 'terminate':
      return [DATE, { name: 'reasons', label: '终止办理的理由', type: 'textarea', required: '请填写理由（将以不予批准通知书书面告知申请人）', wide: true,
        hint: '明显不符合条件时在公示前终止，不再张贴公示' }];
    case 'withdraw':
      return [DATE, { name: 'reason', label: '撤回原因', type: 'textarea', required: '请填写撤回原因（申请人书面撤回申请的情况）', wide: true }];
    case 'serve_refusal':
      return [{ ...DATE, label: '送达日期' }, { name: 'method', label: '送达方式', type: 'select', value: '直接送达', options: SERVICE_METHODS }];
    case 'record_periodic_review':
      return [DATE, { name: 'findings', label: '核查情况', type: 'textarea', required: '请填写核查情况', wide: true },
        { name: 'review_class', label: '调整动态管理类别', type: 'select', blank: '不调整', options: REVIEW_CLASSES }];
    case 'record_change':
      return [DATE, { name: 'summary', label: '变更情况', type: 'textarea', required: '请填写变更情况', wide: true,
        hint: '请先在家庭页修改成员或收入；金额从下月起按变更后的情况重新计算' }];
    case 'exit':
      return [DATE, { name: 'reason', label: '退出原因', type: 'select', options: EXIT_REASONS },
        { name: 'grace_months', label: '渐退期（月）', type: 'number', value: '0', hint: '就业增收按县标准；主动退出 1–3 个月；其他原因 0' },
        { name: 'note', label: '情况说明', type: 'textarea', required: '请填写退出情况说明', wide: true }];
    case 'end_phase_out':
      return [DATE];
    default:
      return [DATE];
  }
}

export const SERVICE_METHODS = ['直接送达', '邮寄送达', '留置送达', '委托送达'].map((m) => ({ code: m, label: m }));

export const REVIEW_CLASSES = [
  { code: 'A', label: 'A 类（每年核查）' },
  { code: 'B', label: 'B 类（每半年核查）' },
  { code: 'C', label: 'C 类（每季度核查）' },
];

export const EXIT_REASONS = [
  { code: 'work_income', label: '就业后收入超过标准' },
  { code: 'voluntary', label: '主动退出' },
  { code: 'other', label: '其他原因（死亡、迁出、不再符合条件）' },
];

/**
 * What a step does that cannot be undone, said in its dialog before the user confirms; null
 * for a step that can be corrected later.
 */
export function irreversibleNote(code) {
  return {
    refuse: '审批不同意后案件即办结为“不予批准”，不能撤销或改为同意；须在期限内送达不予批准通知书，申请人如需重新申请须新建案件。',
    terminate: '终止办理后案件即办结为“不予批准”，不再公示，不能恢复办理；须在期限内送达不予批准通知书，申请人如需重新申请须新建案件。',
    withdraw: '登记撤回后案件即办结为“已撤回”，不能恢复办理，也不会发放任何款项；申请人如需重新申请须新建案件。',
    exit: '办理退出后不能撤销：从次月起停发（给予渐退期的按渐退期金额发放至期满），家庭如需重新纳入须重新申请。',
    approve: '审批同意后即纳入保障，从起发月份按下列金额发放；金额以后只能通过变更或退出调整。',
  }[code] ?? null;
}

/** The command input of a step from the dialog's form values. Blank optional values are left out. */
export function stepInput(caseId, code, values) {
  const input = { case_id: caseId, action: code };
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'grace_months') input[k] = Number(v);
    else input[k] = v;
  }
  return input;
}

/** A deadline in words: overdue, today, or how many days are left. `today` is yyyy-mm-dd. */
export function deadlineText(deadline, today) {
  if (!deadline) return '';
  const days = Math.round((Date.parse(deadline) - Date.parse(today)) / 86400000);
  if (days < 0) return `已超期 ${-days} 天`;
  if (days === 0) return '今天到期';
  return `还有 ${days} 天`;
}
