// api.js with an injected transport: results pass through; refusals become ApiError with
// code, Chinese message and field; listeners hear every refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, setTransport, onError, onProgress, setProgressSource, ApiError, toApiError } from '../../../ui/api.js';

test('call passes name and input to the transport and resolves to its result', async () => {
  const seen = [];
  setTransport(async (name, input) => {
    seen.push([name, input]);
    return { total: 1, items: [{ id: 7 }] };
  });
  const r = await call('household.search', { q: 'sxq' });
  assert.deepEqual(r, { total: 1, items: [{ id: 7 }] });
  assert.deepEqual(seen, [['household.search', { q: 'sxq' }]]);
});

test('a refusal keeps code, message and field', async () => {
  setTransport(async () => {
    throw { code: 'invalid_input', message: '身份证号码校验位错误：最后一位应为 X，请核对是否输错', field: 'head.id_number' };
  });
  const heard = [];
  const stop = onError((err, name) => heard.push([err.code, name]));
  await assert.rejects(call('household.create', {}), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'invalid_input');
    assert.equal(err.field, 'head.id_number');
    assert.match(err.message, /校验位错误/);
    return true;
  });
  stop();
  assert.deepEqual(heard, [['invalid_input', 'household.create']]);
});

test('a refusal without a field has none', async () => {
  setTransport(async () => Promise.reject({ code: 'forbidden', message: '无权' }));
  await assert.rejects(call('user.list'), (err) => err.code === 'forbidden' && !('field' in err));
});

test('anything else the transport throws becomes an internal error', () => {
  assert.equal(toApiError('boom').code, 'internal');
  assert.match(toApiError(new TypeError('x is undefined')).message, /x is undefined/);
});

test('without Tauri and without a fake, call says so in Chinese', async () => {
  setTransport(null);
  await assert.rejects(call('auth.status'), (err) => err.code === 'internal' && /桌面程序/.test(err.message));
});

test('progress reports reach the listener until it stops; without Tauri there are none', async () => {
  let listener = null;
  setProgressSource(async (fn) => {
    listener = fn;
    return () => (listener = null);
  });
  const heard = [];
  const stop = await onProgress((p) => heard.push(p.done));
  listener({ task: 'ledger.import', phase: 'check', done: 500, total: 900 });
  stop();
  assert.deepEqual(heard, [500]);
  assert.equal(listener, null);
  setProgressSource(null);
  assert.equal(await onProgress(() => {}), null);
});
