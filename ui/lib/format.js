// Display forms of values that are not registry codes.

import { label, area } from './session.js';

export const SEX = { male: '男', female: '女' };
export const URBAN_RURAL = { urban: '城市', rural: '农村' };
export const ROLES = [
  { code: 'caseworker', label: '乡镇经办人' },
  { code: 'reviewer', label: '乡镇审核人' },
  { code: 'approver', label: '县级审批人' },
  { code: 'member_unit', label: '成员单位代表' },
  { code: 'admin', label: '管理员' },
];
const GRADES = ['', '一级', '二级', '三级', '四级'];

export function grade(g) {
  return GRADES[g] || '';
}

/** 肢体残疾二级, or '' */
export function disability(m) {
  if (!m.disability_type) return '';
  return label('disability_types', m.disability_type) + grade(m.disability_grade);
}

/** What an audit row's command did, in words. */
export const COMMAND_LABELS = {
  'auth.setup': '初始化系统',
  'auth.sign_in': '登录',
  'auth.sign_in_failed': '登录失败',
  'auth.change_password': '修改密码',
  'user.create': '新增用户',
  'user.update': '修改用户',
  'user.reset_password': '重置密码',
  'area.create': '新增区划',
  'area.update': '修改区划',
  'household.create': '登记家庭',
  'household.update': '修改家庭信息',
  'household.set_head': '变更户主',
  'member.add': '增加成员',
  'member.update': '修改成员',
  'member.leave': '成员迁出',
  'member.death': '登记死亡',
  'finances.set': '登记收入和财产',
  'standard.set': '设置保障标准',
  'standard.withdraw': '撤回保障标准',
  'standard.import': '导入保障标准',
  'recompute.submit': '提交调标',
  'recompute.confirm': '确认调标',
  'recompute.cancel': '取消调标',
  'system.backup': '备份数据库',
  'near_relative.file': '登记近亲属备案',
  'near_relative.withdraw': '撤销近亲属备案',
  'calendar.set': '登记节假日或调休',
  'calendar.remove': '删除节假日或调休',
  'workflow.set_settings': '设置办理时限',
  'deliberation.file': '申报一事一议',
  'deliberation.act': '办理一事一议',
  'deliberation.set_settings': '修改一事一议设置',
  'meeting.create': '召开协调会议',
  'meeting.add_item': '列入会议议程',
  'meeting.attendance': '登记出席情况',
  'meeting.opinion': '登记成员单位意见',
  'meeting.decide': '登记会议决定',
  'meeting.close': '结束协调会议',
};

export const ENTITY_LABELS = {
  household: '家庭', person: '人员', membership: '成员关系', user: '用户', area: '区划', database: '数据库',
  near_relative: '近亲属备案', calendar_day: '工作日历', setting: '设置',
  deliberation_case: '一事一议案件', meeting: '协调会议', recompute_batch: '调标批次',
};

export const FIELD_LABELS = {
  village_id: '村（社区）', group_id: '组', address: '住址', hukou: '户籍', phone: '联系电话',
  bank_name: '开户银行', bank_account: '银行账号', head_id: '户主', old_head_relation: '原户主关系',
  name: '姓名', id_number: '身份证号', display_name: '姓名', role: '角色', area_id: '所属单位',
  active: '启用', username: '用户名', code: '代码', level: '级别', urban_rural: '城乡',
  relation: '关系', joined_on: '入户日期', left_on: '迁出日期', reason: '原因', death_date: '死亡日期',
  household_id: '家庭', person_id: '人员', sex: '性别', birth_date: '出生日期',
  disability_type: '残疾类别', disability_grade: '残疾等级', serious_illness: '重病',
  labour_capacity: '劳动能力', self_care: '自理能力', student: '在读', employment: '就业', dest: '备份文件',
  incomes: '收入', expenditures: '刚性支出', assets: '财产',
  staff_name: '备案人', staff_post: '职务', relative_name: '近亲属姓名', relative_id_number: '近亲属身份证号',
  declared_on: '备案日期', withdrawn_on: '撤销日期', user_id: '系统用户', date: '日期', kind: '类型', note: '说明',
  notice_days: '公示天数', approval_workdays: '县级审批时限', procedure_workdays: '办理总时限',
  refusal_notice_workdays: '不予批准告知时限', tekun_survey_workdays: '特困调查时限',
  temp_procedure_workdays: '临时救助办理时限', temp_paperwork_workdays: '临时救助补办手续时限',
};

function plain(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (v === true || v === false) return v ? '是' : '否';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** '住址：旧 → 新' lines for an audit row's before/after; `show(key, value)` may name a value
 *  (an area id as its name, a code as its label) or return undefined to show it as it is. */
export function auditChanges(before, after, show = () => undefined) {
  const plainOf = (k, v) => {
    const s = v === null || v === undefined ? undefined : show(k, v);
    return s === undefined ? plain(v) : s;
  };
  const order = Object.keys(FIELD_LABELS);
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])]
    .sort((a, b) => rank(a) - rank(b));
  const blank = (v) => v === null || v === undefined || v === '';
  const out = [];
  for (const k of keys) {
    const b = before ? before[k] : undefined;
    const a = after ? after[k] : undefined;
    if (before && after && JSON.stringify(a) === JSON.stringify(b)) continue;
    const name = FIELD_LABELS[k] || k;
    if (before && after && b !== undefined) out.push(`${name}：${plainOf(k, b)} → ${plainOf(k, a)}`);
    else if (!blank(after ? a : b)) out.push(`${name}：${plainOf(k, after ? a : b)}`);
  }
  return out;
}

const AREA_KEYS = ['village_id', 'group_id', 'township_id', 'area_id', 'parent_id'];
const CODE_KINDS = {
  hukou: 'hukou', relation: 'relations', old_head_relation: 'relations', reason: 'leave_reasons',
  disability_type: 'disability_types', labour_capacity: 'labour_capacity', self_care: 'self_care',
  student: 'student', employment: 'employment',
};

/** A finances statement's parts in words, for audit rows. */
const FINANCE_WORDS = {
  incomes: (list) => list.map((i) => `${i.person_name} ${label('income_kinds', i.kind)} ${label('income_periods', i.period)} ${i.amount} 元${
    i.exempt ? `（不计入：${i.exempt_reason}）` : ''}`).join('；') || '无',
  expenditures: (list) => list.map((e) => `${e.person_name ?? '全家'} ${label('expenditure_kinds', e.kind)} 每年 ${e.annual_amount} 元`).join('；') || '无',
  assets: (a) => `存款 ${a.deposits} 元，车辆 ${a.vehicles} 辆，其他住房 ${a.extra_housing} 套${a.note ? `（${a.note}）` : ''}`,
};

/** A stored value in words where we know how: area ids as names, codes as labels. */
export function showValue(key, value) {
  if (FINANCE_WORDS[key] && value && typeof value === 'object') return FINANCE_WORDS[key](value);
  if (AREA_KEYS.includes(key)) {
    const a = area(value);
    return a ? a.name : undefined;
  }
  if (CODE_KINDS[key]) return label(CODE_KINDS[key], value);
  if (key === 'role') return ROLES.find((r) => r.code === value)?.label;
  if (key === 'sex') return SEX[value];
  if (key === 'urban_rural') return URBAN_RURAL[value];
  if (key === 'kind' && (value === 'holiday' || value === 'workday')) return value === 'holiday' ? '节假日' : '调休上班';
  if (key === 'disability_grade') return grade(value) || undefined;
  return undefined;
}

/** The administrative path of a household: 城关镇 东街社区 3组 */
export function place(h) {
  return [h.township_name, h.village_name, h.group_name].filter(Boolean).join(' ');
}
