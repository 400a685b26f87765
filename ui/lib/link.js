// Where this window works and whether the county's server answers: the state behind the status
// line. A failed call (code internal: the connection dropped) and a periodic check update it;
// the desktop's own database is always reachable.

import { connection } from '../api.js';

export const link = {
  chosen: true,
  fixed: false,
  mode: 'embedded',
  address: '',
  fingerprint: '',
  db: '',
  /** null: not checked yet; true / false: the last check's answer. */
  reachable: null,
  /** Why the server could not be reached (Chinese, from the shell). */
  problem: '',
};

const watchers = new Set();

/** Be told whenever the link changes; returns a function that stops. */
export function onLinkChange(fn) {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

function changed() {
  for (const fn of watchers) fn(link);
}

/** Read the connection from the shell. Outside the desktop program (a browser, unit tests)
 *  there is no shell to ask: the window works as on its own database. */
export async function loadLink() {
  let c;
  try {
    c = await connection('get');
  } catch {
    c = { chosen: true, fixed: false, mode: 'embedded' };
  }
  const same = c.mode === link.mode && (c.address || '') === link.address;
  const known = same ? { reachable: link.reachable, problem: link.problem } : { reachable: null, problem: '' };
  Object.assign(link, { address: '', fingerprint: '', db: '' }, c, c.mode === 'server' ? known : { reachable: true, problem: '' });
  changed();
  return link;
}

/** Ask the server whether it answers; updates and returns the link. */
export async function checkLink() {
  if (link.mode !== 'server') return link;
  try {
    const h = await connection('health');
    link.reachable = !!h.ok;
    link.problem = h.ok ? '' : '服务器的数据库暂时不可用';
  } catch (err) {
    link.reachable = false;
    link.problem = err.message;
  }
  changed();
  return link;
}

/** A call failed: if it may be the connection (code internal on a server), check it now. */
export function noteFailure(err) {
  if (link.mode === 'server' && err && err.code === 'internal') return checkLink();
  return Promise.resolve(link);
}

/** A call answered: the server is reachable. */
export function noteAnswer() {
  if (link.mode === 'server' && link.reachable !== true) {
    link.reachable = true;
    link.problem = '';
    changed();
  }
}

/** The status line: which database or server, and whether it answers. */
export function statusText(l = link) {
  if (!l.chosen) return '尚未选择数据库';
  if (l.mode !== 'server') return '本机数据库';
  const where = `县级服务器 ${l.address}`;
  if (l.reachable === true) return `${where} · 已连接`;
  if (l.reachable === false) return `${where} · 无法连接，请检查网络（已填写的内容不会丢失）`;
  return `${where} · 正在检查连接…`;
}

/** Check the server every `every` ms (default 20 s); returns a function that stops. */
export function watchLink(every = 20000, timers = globalThis) {
  const id = timers.setInterval(() => { checkLink(); }, every);
  return () => timers.clearInterval(id);
}

/** The connection form's values as the shell takes them, or a refusal naming the field. */
export function connectionInput({ mode, address = '', fingerprint = '' }) {
  if (mode === 'embedded') return { mode: 'embedded' };
  if (mode !== 'server') throw { code: 'invalid_input', field: 'mode', message: '请选择本机数据库或连接县级服务器' };
  const a = String(address).trim();
  if (!a) throw { code: 'invalid_input', field: 'address', message: '请填写县级服务器的地址，如 10.1.2.3:8443' };
  if (/^[a-z]+:\/\//i.test(a) && !/^https:\/\//i.test(a)) {
    throw { code: 'invalid_input', field: 'address', message: '县级服务器只能用 https 连接' };
  }
  const hex = String(fingerprint).replace(/[\s:-]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw {
      code: 'invalid_input', field: 'fingerprint',
      message: '证书指纹应为 64 位十六进制数（服务器运行 doudi serve --init 时显示的 SHA-256，如 AB:CD:…），请照抄',
    };
  }
  return { mode: 'server', address: a, fingerprint: String(fingerprint).trim() };
}
