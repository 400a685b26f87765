// Who is signed in, and the reference data every screen uses: code labels and the area tree.

import { call } from '../api.js';
import { html, render } from './html.js';

export const session = {
  hasUsers: false,
  countyName: '',
  user: null,
  choices: null,
  areas: null,
  /** The household list as last searched, so 返回列表 comes back to it. */
  lastList: '#/households',
  /** The case list as last shown (search, filters, sort, page), and the case opened from it. */
  lastCaseList: '#/cases',
  lastCaseId: null,
};

export async function loadStatus() {
  const s = await call('auth.status');
  session.hasUsers = s.has_users;
  session.countyName = s.county_name || '';
  session.user = s.user || null;
  return s;
}

/** After sign-in: the labels for codes and the area tree. */
export async function loadReference() {
  const [choices, areas] = await Promise.all([call('registry.choices'), call('area.list')]);
  session.choices = choices;
  session.areas = areas.areas;
}

export async function reloadAreas() {
  session.areas = (await call('area.list')).areas;
  return session.areas;
}

/**
 * The screen to show: 'setup' on an empty database, 'signin' when nobody is signed in,
 * 'set_password' while the user's password is one the administrator set (the server refuses
 * everything else meanwhile), otherwise 'app'.
 */
export function firstScreen(s = session) {
  if (!s.hasUsers) return 'setup';
  if (!s.user) return 'signin';
  if (s.user.must_change_password) return 'set_password';
  return 'app';
}

export function forget() {
  session.user = null;
  session.choices = null;
  session.areas = null;
  session.lastList = '#/households';
  session.lastCaseList = '#/cases';
  session.lastCaseId = null;
}

const ROLE_CAN = {
  readRegistry: ['caseworker', 'reviewer', 'approver', 'admin'],
  writeRegistry: ['caseworker', 'reviewer', 'admin'],
  admin: ['admin'],
  audit: ['admin', 'approver'],
  whatIf: ['admin', 'approver'],
  payments: ['admin', 'approver'],
  ledgerImport: ['admin', 'approver'],
  handleCases: ['caseworker', 'reviewer', 'approver'],
  // 待我处理: cases to handle, or for a member unit the meetings waiting for its opinion.
  queue: ['caseworker', 'reviewer', 'approver', 'member_unit'],
  nearRelatives: ['caseworker', 'reviewer', 'approver', 'admin'],
  fileNearRelative: ['reviewer', 'approver', 'admin'],
  withdrawNearRelative: ['approver', 'admin'],
  deliberation: ['caseworker', 'reviewer', 'approver', 'member_unit', 'admin'],
  meetings: ['approver', 'member_unit', 'admin'],
};

/** Whether the signed-in user may do a kind of thing (the server checks again). */
export function can(what) {
  return Boolean(session.user && ROLE_CAN[what].includes(session.user.role));
}

/** Open a page that needs a right: set the window title to 「title - 兜底」 and, when the user lacks
 *  the right, show why in the page instead and answer false. */
export function mayOpen(root, title, right, refusal = `${title}限县级审批人和管理员使用。`) {
  document.title = `${title} - 兜底`;
  if (can(right)) return true;
  render(root, html`<p class="error">${refusal}</p>`);
  return false;
}

/** Township staff are confined to their township. */
export function ownTownship() {
  const u = session.user;
  return u && (u.role === 'caseworker' || u.role === 'reviewer') ? u.area_id : null;
}

/** The label of a code from registry.choices, e.g. label('relations', 'spouse') → 配偶. */
export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '';
  const list = session.choices && session.choices[kind];
  const hit = list && list.find((c) => c.code === code);
  return hit ? hit.label : code;
}

export function choices(kind) {
  return (session.choices && session.choices[kind]) || [];
}

export function areasAt(level, parentId) {
  return (session.areas || []).filter(
    (a) => a.level === level && (parentId === undefined || a.parent_id === parentId),
  );
}

export function area(id) {
  return (session.areas || []).find((a) => a.id === id) || null;
}
