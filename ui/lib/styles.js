// Each component and view loads its own stylesheet, so a new view touches one folder:
//   loadStyle(new URL('./name.css', import.meta.url));
// at the top of `name.js`. The call adds one <link rel="stylesheet"> (once per file, however
// often it is asked) when the module is imported, before anything renders; main.js awaits
// stylesLoaded() before the first render of the sign-in page and of every view, so no page is
// drawn unstyled. A <link> to our own files is what the CSP's style-src 'self' allows; no inline
// styles. index.html links only the global stylesheet (app.css: base look and print).

const sheets = new Map(); // href → promise settled when the sheet has loaded (or failed)

/** Link the stylesheet at `url` once; the promise settles when it has loaded or failed. */
export function loadStyle(url) {
  const href = String(url);
  let loaded = sheets.get(href);
  if (loaded) return loaded;
  const doc = globalThis.document;
  if (!doc) {
    // Node (the UI unit tests import views for their pure functions): nothing to style.
    loaded = Promise.resolve();
  } else {
    const link = doc.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    loaded = new Promise((resolve) => {
      link.addEventListener('load', () => resolve(), { once: true });
      link.addEventListener('error', () => {
        // A missing sheet must not keep the app from opening; the UI unit tests catch typos.
        console.error(`stylesheet failed to load: ${href}`);
        resolve();
      }, { once: true });
    });
    doc.head.append(link);
  }
  sheets.set(href, loaded);
  return loaded;
}

/** Settles when every stylesheet linked so far has loaded (or failed). */
export function stylesLoaded() {
  return Promise.all(sheets.values()).then(() => undefined);
}
