// Display forms of values that are not registry codes, and the one formatter of money (yuan),
// counts and joined words. Audit rows come in words from the core (audit.list).

import { label } from './session.js';

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

/** Yuan text grouped by thousands: '1234567.50' → '1,234,567.50', '-49.00' → '-49.00'. The text
 *  is never parsed as a number (no float ever holds money); blank → ''; anything else as it is. */
export function yuan(text) {
  if (text === null || text === undefined || text === '') return '';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text).trim());
  if (!m) return String(text);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] || ''}`;
}

/** Yuan text with its unit: '5226.00' → '5,226.00 元'; blank → '—'. */
export function yuanUnit(text) {
  const t = yuan(text);
  return t ? `${t} 元` : '—';
}

/** A whole count grouped by thousands: 12345 → '12,345'. */
export function count(n) {
  if (n === null || n === undefined || n === '') return '';
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Parts joined by `sep`, blanks (null, undefined, '') left out: never 'null' on a page. */
export function words(parts, sep = ' ') {
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join(sep);
}

/** The administrative path of a household: 城关镇 东街社区 3组 */
export function place(h) {
  return [h.township_name, h.village_name, h.group_name].filter(Boolean).join(' ');
}
