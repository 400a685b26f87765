// A modal form in a native <dialog>: Esc or 取消 closes it, Enter submits, focus starts on the
// first field, and a refused command shows its message beside the input it names.

import { html, element } from '../../lib/html.js';
import { onSubmit } from '../../lib/forms.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./dialog.css', import.meta.url));

/**
 * Open a dialog holding a form. `run(input, form)` runs the command; when it resolves the dialog
 * closes and openDialog resolves with its result. Cancelling resolves with null.
 * `setup(form)` may wire extra behaviour after the form is in the document.
 */
export function openDialog({ title, body, submitLabel = '确定', run, setup, wide = false, danger = false }) {
  const dlg = element(html`<dialog class="dialog${wide ? ' wide' : ''}" aria-labelledby="dialog-title">
    <form class="dialog-form" novalidate>
      <h2 id="dialog-title">${title}</h2>
      <div class="dialog-body">${body}</div>
      <div class="form-error" role="alert"></div>
      <div class="dialog-actions">
        <button type="submit" class="${danger ? 'danger' : 'primary'}" id="dialog-submit">${submitLabel}</button>
        <button type="button" class="dialog-cancel">取消</button>
      </div>
    </form>
  </dialog>`);
  document.body.append(dlg);
  const form = dlg.querySelector('form');
  const opener = document.activeElement;
  return new Promise((resolve) => {
    let result = null;
    onSubmit(form, async (input) => {
      result = await run(input, form);
      dlg.close();
    });
    dlg.querySelector('.dialog-cancel').addEventListener('click', () => dlg.close());
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    });
    if (setup) setup(form);
    dlg.showModal();
    const first = form.querySelector('[autofocus]') ||
      form.querySelector('.dialog-body input:not([type=hidden]):not([disabled]), .dialog-body select:not([disabled])');
    if (first) first.focus();
  });
}

/** Ask a yes/no question; resolves true when confirmed. */
export async function confirmDialog(title, message, submitLabel = '确定') {
  const ok = await openDialog({
    title, submitLabel, danger: true,
    body: html`<p class="dialog-message">${message}</p>`,
    run: async () => true,
  });
  return ok === true;
}
