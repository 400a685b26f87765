// The one `html` tag: interpolated values are escaped unless they are themselves `html`
// fragments. Names typed by caseworkers end up in the DOM, so nothing else builds markup.

export class Html {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escape(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

function part(v) {
  if (v === null || v === undefined || v === false || v === true) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  return escape(v);
}

/** html`<td>${name}</td>`: text is escaped; arrays of fragments are joined; null/false vanish. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup that is already safe (only for constants written in this code base). */
export function trusted(text) {
  return new Html(String(text));
}

/** Replace an element's content with a fragment (or an array of fragments, or plain text). */
export function render(el, fragment) {
  el.innerHTML = part(fragment);
}

/** Parse a fragment into one element (the fragment's first element). */
export function element(fragment) {
  const t = document.createElement('template');
  t.innerHTML = fragment.text.trim();
  return t.content.firstElementChild;
}
