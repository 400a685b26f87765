// The one door to the Rust command layer. Only this file touches window.__TAURI__;
// everything else calls `call(name, input)`. Tests hand in a fake with setTransport().

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

let transport = tauriTransport;
const listeners = new Set();

/** Replace the transport: `fn(name, input)` returns a promise of the result or rejects with
 *  `{code, message, field}`. Pass nothing to go back to Tauri. */
export function setTransport(fn) {
  transport = fn || tauriTransport;
}

/** Be told of every refusal, e.g. to return to the sign-in screen on `unauthenticated`. */
export function onError(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
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
    return await transport(name, input);
  } catch (e) {
    const err = toApiError(e);
    for (const fn of listeners) fn(err, name);
    throw err;
  }
}
