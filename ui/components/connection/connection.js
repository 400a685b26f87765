// Where this desktop works: 本机数据库 (its own database file) or 连接县级服务器 (address and the
// certificate fingerprint `doudi serve --init` printed, tested before it is kept). Shown at the
// first run and in 本机信息. Saving starts the window again, signed out.

import { connection } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field, onSubmit, showError, clearErrors } from '../../lib/forms.js';
import { connectionInput } from '../../lib/link.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./connection.css', import.meta.url));

const MODES = [
  { code: 'embedded', label: '本机数据库（只在这台电脑上办理）' },
  { code: 'server', label: '连接县级服务器（全县共用一个数据库）' },
];

/** Draw the form into `root`. `current`: the connection now (as connection('get')); `saved()`
 *  runs once the shell has switched. */
export function connectionForm(root, { current = {}, saved, submitLabel = '保存并重新登录' }) {
  const mode = current.mode || 'embedded';
  render(root, html`
    <form class="connection-form" id="connection-form" novalidate>
      ${field({ name: 'mode', label: '数据库', type: 'select', options: MODES, value: mode, wide: true, id: 'connection-mode' })}
      <div class="connection-server" ${mode === 'server' ? '' : 'hidden'}>
        ${field({ name: 'address', label: '服务器地址', value: current.address || '', id: 'connection-address', wide: true,
          hint: '县信息中心提供，如 10.1.2.3:8443', attrs: html`autocapitalize="off" spellcheck="false"` })}
        ${field({ name: 'fingerprint', label: '证书指纹（SHA-256）', value: current.fingerprint || '', id: 'connection-fingerprint', wide: true,
          hint: '服务器运行 doudi serve --init 时显示的 64 位十六进制数，如 AB:CD:…，请照抄核对', attrs: html`autocapitalize="off" spellcheck="false"` })}
      </div>
      <p class="connection-result muted" role="status" id="connection-result"></p>
      <div class="form-error" role="alert"></div>
      <div class="actions">
        <button type="button" id="connection-test" ${mode === 'server' ? '' : 'hidden'}>测试连接</button>
        <button type="submit" class="primary" id="connection-save">${submitLabel}</button>
      </div>
    </form>
  `);
  const form = root.querySelector('form');
  const server = form.querySelector('.connection-server');
  const testButton = form.querySelector('#connection-test');
  const result = form.querySelector('#connection-result');
  const values = () => connectionInput({
    mode: form.elements.mode.value,
    address: form.elements.address.value,
    fingerprint: form.elements.fingerprint.value,
  });
  form.elements.mode.addEventListener('change', () => {
    const on = form.elements.mode.value === 'server';
    server.hidden = !on;
    testButton.hidden = !on;
    result.textContent = '';
  });
  testButton.addEventListener('click', async () => {
    clearErrors(form);
    result.textContent = '';
    testButton.disabled = true;
    try {
      const c = values();
      await connection('test', { address: c.address, fingerprint: c.fingerprint });
      result.textContent = '连接成功：证书指纹相符，服务器正常。';
    } catch (err) {
      showError(form, err);
    } finally {
      testButton.disabled = false;
    }
  });
  onSubmit(form, async () => {
    result.textContent = '';
    const c = values();
    if (c.mode === 'server') result.textContent = '正在测试连接…';
    try {
      await connection('set', { connection: c });
    } finally {
      result.textContent = '';
    }
    await saved(c);
  });
  return form;
}
