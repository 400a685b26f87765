// The status line at the foot of the window: which database or county server this window works
// on, and whether the server answers (lib/link.js keeps the state).

import { link, onLinkChange, statusText } from '../../lib/link.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./link-status.css', import.meta.url));

/** Add the status line to `parent` (once); it follows every change of the link. */
export function mountLinkStatus(parent = document.body) {
  let el = parent.querySelector('#link-status');
  if (!el) {
    el = document.createElement('div');
    el.id = 'link-status';
    el.className = 'link-status no-print';
    el.setAttribute('role', 'status');
    parent.append(el);
    onLinkChange(() => draw(el));
  }
  draw(el);
  return el;
}

function draw(el) {
  el.textContent = statusText(link);
  el.dataset.mode = link.mode || '';
  el.classList.toggle('down', link.mode === 'server' && link.reachable === false);
}
