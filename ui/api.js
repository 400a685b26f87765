// The one door to the Rust command layer. Only this file touches window.__TAURI__;
// everything else calls `call(name, input)` and hears long commands' progress with onProgress().
// Tests hand in fakes with setTransport() and setProgressSource().

/** A command's refusal: `code` is stable (branch on it), `message` is Chinese for the user,
 *  `field` names the input at fault when there is one. */
export class ApiError extends Error {
  constructor({ code, message, field }) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (field) this.field = field;
  }
}

function tauriTransport(name, input) {
  const tauri = globalThis.window && window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({ code: 'internal', message: '未在 Doudi 桌面程序中运行，无法连接数据库' });
  }
  return tauri.core.invoke('call', { name, input });
}

/** Listen to the `progress` events of long commands; null where there are none (not in Tauri, or
 *  not permitted). */
async function tauriProgress(fn) {
  const events = globalThis.window && window.__TAURI__ && window.__TAURI__.event;
  if (!events || typeof events.listen !== 'function') return null;
  try {
    return await events.listen('progress', (e) => fn(e.payload));
  } catch {
    return null;
  }
}

let transport = tauriTransport;
let progressSource = tauriProgress;
const listeners = new Set();

/** Replace the transport: `fn(name, input)` returns a promise of the result or rejects with
 *  `{code, message, field}`. Pass nothing to go back to Tauri. */
export function setTransport(fn) {
  transport = fn || tauriTransport;
}

/** Replace where progress comes from: `fn(listener)` resolves to a stop function, or to null
 *  when there is no progress to hear. Pass nothing to go back to Tauri's events. */
export function setProgressSource(fn) {
  progressSource = fn || tauriProgress;
}

/** Hear the progress of long commands (`{task, phase, done, total}`, e.g. a ledger import) while
 *  they run. Resolves to a function that stops listening, or to null where progress cannot be
 *  heard (unit tests, a plain browser): show an indeterminate indicator then. */
export function onProgress(fn) {
  return progressSource(fn);
}

/** Be told of every refusal, e.g. to return to the sign-in screen on `unauthenticated`. */
export function onError(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const answered = new Set();

/** Be told of every command answered (the connection is up). */
export function onAnswer(fn) {
  answered.add(fn);
  return () => answered.delete(fn);
}

/** Turn whatever the transport rejected with into an ApiError. */
export function toApiError(e) {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return new ApiError({ code: e.code, message: String(e.message ?? e.code), field: e.field ?? undefined });
  }
  const text = typeof e === 'string' ? e : (e && e.message) || String(e);
  return new ApiError({ code: 'internal', message: `程序内部错误：${text}` });
}

/** Run one named command. Resolves to its JSON result; rejects with an ApiError. */
export async function call(name, input = {}) {
  try {
    const reply = await transport(name, input);
    for (const fn of answered) fn(name);
    return reply;
  } catch (e) {
    const err = toApiError(e);
    for (const fn of listeners) fn(err, name);
    throw err;
  }
}

// Where this desktop works — its own database or the county's server — is the shell's own
// business, asked through four commands beside `call`: connection_get, connection_test,
// connection_set and connection_health. Tests hand in a fake with setConnectionTransport().

function tauriConnection(op, args) {
  const tauri = globalThis.window && window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({ code: 'internal', message: '未在 Doudi 桌面程序中运行，无法设置连接' });
  }
  return tauri.core.invoke(`connection_${op}`, args);
}

let connectionTransport = tauriConnection;

/** Replace the connection transport: `fn(op, args)` with op get | test | set | health. Pass
 *  nothing to go back to Tauri. */
export function setConnectionTransport(fn) {
  connectionTransport = fn || tauriConnection;
}

/** Ask the shell about the connection: `get` → {chosen, fixed, mode, address, fingerprint, db};
 *  `test` {address, fingerprint} → {ok}; `set` {connection: {mode, address, fingerprint}} → as
 *  get; `health` → {ok, mode}. Rejects with an ApiError. */
export async function connection(op, args = {}) {
  try {
    return await connectionTransport(op, args);
  } catch (e) {
    throw toApiError(e);
  }
}
