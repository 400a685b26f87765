// lib/link.js with a fake shell: where the window works, the status line's text, a failed call
// checking the server, an answer marking it reachable again, and the connection form's checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, setTransport, setConnectionTransport, connection, onAnswer } from '../../../ui/api.js';
import { link, loadLink, checkLink, noteFailure, noteAnswer, statusText, watchLink, connectionInput, onLinkChange } from '../../../ui/lib/link.js';

const FP = 'AB:'.repeat(31) + 'AB';

function shell(answers) {
  const seen = [];
  setConnectionTransport(async (op, args) => {
    seen.push([op, args]);
    const a = answers[op];
    if (a instanceof Error || (a && a.code)) throw a;
    return typeof a === 'function' ? a(args) : a;
  });
  return seen;
}

test('outside the desktop program the window works as on its own database', async () => {
  setConnectionTransport();
  await loadLink();
  assert.equal(link.mode, 'embedded');
  assert.equal(link.chosen, true);
  assert.equal(statusText(), '本机数据库');
});

test('the first run has not chosen yet', async () => {
  shell({ get: { chosen: false, fixed: false, mode: null, db: '/x.sqlite' } });
  await loadLink();
  assert.equal(link.chosen, false);
  assert.equal(statusText(), '尚未选择数据库');
});

test('on a server: checking, reachable, and a dropped connection named on the status line', async () => {
  const health = { ok: true, mode: 'server' };
  shell({ get: { chosen: true, fixed: false, mode: 'server', address: '10.1.2.3:8443', fingerprint: FP }, health: () => health });
  const heard = [];
  const stop = onLinkChange((l) => heard.push(l.reachable));
  await loadLink();
  assert.equal(statusText(), '县级服务器 10.1.2.3:8443 · 正在检查连接…');
  await checkLink();
  assert.equal(statusText(), '县级服务器 10.1.2.3:8443 · 已连接');
  // A refusal by the server (not the network) does not ask again.
  const before = heard.length;
  await noteFailure({ code: 'invalid_input', message: '请填写姓名' });
  assert.equal(heard.length, before);
  // The network drops: the failed call checks, and the line says so.
  shell({ health: { code: 'internal', message: '无法连接县级服务器或连接中断（connection refused）' } });
  await noteFailure({ code: 'internal', message: '无法连接县级服务器或连接中断' });
  assert.equal(link.reachable, false);
  assert.match(statusText(), /无法连接，请检查网络（已填写的内容不会丢失）/);
  assert.match(link.problem, /connection refused/);
  // Reading the connection again keeps what the last check found.
  shell({ get: { chosen: true, fixed: false, mode: 'server', address: '10.1.2.3:8443', fingerprint: FP } });
  await loadLink();
  assert.equal(link.reachable, false);
  // Any answer means it is back.
  const stopAnswer = onAnswer(noteAnswer);
  setTransport(async () => ({ ok: 1 }));
  await call('auth.status');
  assert.equal(link.reachable, true);
  stopAnswer();
  stop();
  setTransport();
});

test('the periodic check runs on the timer it is given and stops', async () => {
  let tick = null;
  let cleared = null;
  const timers = { setInterval: (fn, ms) => { tick = [fn, ms]; return 7; }, clearInterval: (id) => { cleared = id; } };
  const seen = shell({ get: { chosen: true, mode: 'server', address: 'a:1', fingerprint: FP }, health: { ok: true } });
  await loadLink();
  const stop = watchLink(5000, timers);
  assert.equal(tick[1], 5000);
  tick[0]();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(seen.map((s) => s[0]), ['get', 'health']);
  stop();
  assert.equal(cleared, 7);
});

test('the connection form refuses what the shell would, naming the field', () => {
  assert.deepEqual(connectionInput({ mode: 'embedded', address: 'x' }), { mode: 'embedded' });
  const refused = (v) => { try { connectionInput(v); return null; } catch (e) { return [e.field, e.message]; } };
  assert.equal(refused({ mode: '' })[0], 'mode');
  assert.deepEqual(refused({ mode: 'server', address: ' ', fingerprint: FP })[0], 'address');
  assert.match(refused({ mode: 'server', address: 'http://10.1.2.3', fingerprint: FP })[1], /只能用 https/);
  const fp = refused({ mode: 'server', address: '10.1.2.3:8443', fingerprint: 'AB:CD' });
  assert.equal(fp[0], 'fingerprint');
  assert.match(fp[1], /64 位十六进制数/);
  assert.deepEqual(connectionInput({ mode: 'server', address: ' 10.1.2.3:8443 ', fingerprint: ` ${FP.toLowerCase()}\n` }),
    { mode: 'server', address: '10.1.2.3:8443', fingerprint: FP.toLowerCase() });
});

test('connection refusals become ApiErrors with their field', async () => {
  shell({ test: { code: 'unauthenticated', message: '服务器证书与登记的指纹不符，可能被冒充，已拒绝连接' } });
  await assert.rejects(connection('test', { address: 'a:1', fingerprint: FP }), (e) => e.name === 'ApiError' && e.code === 'unauthenticated');
  setConnectionTransport();
});
