// A short confirmation ("已保存") that fades by itself; screen readers hear it.

import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./toast.css', import.meta.url));

let box;

export function toast(message, kind = 'ok') {
  if (!box) {
    box = document.createElement('div');
    box.className = 'toast-area';
    box.setAttribute('role', 'status');
    box.setAttribute('aria-live', 'polite');
    document.body.append(box);
  }
  const item = document.createElement('div');
  item.className = `toast ${kind}`;
  item.textContent = message;
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 6000 : 3000);
}
