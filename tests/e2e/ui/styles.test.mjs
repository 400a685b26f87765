// Each component and view loads its own stylesheet, so a new view touches one folder: index.html
// links only the global sheet(s), every components/NAME/ and views/NAME/ stylesheet is loaded by
// its folder's NAME.js through lib/styles.js, and loadStyle links a sheet once and says when it
// has loaded (main.js waits for that before drawing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ui = fileURLToPath(new URL('../../../ui/', import.meta.url));
const read = (path) => readFileSync(join(ui, path), 'utf8');

/** The folders that hold one component or view each: 'components/shell', 'views/about', … */
function folders() {
  return ['components', 'views'].flatMap((top) =>
    readdirSync(join(ui, top), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${top}/${d.name}`));
}

/** The stylesheets a module loads: the './x.css' of each loadStyle(new URL('./x.css', import.meta.url)). */
function loadedBy(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // comments show examples
  const calls = [...code.matchAll(/loadStyle\(\s*new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)\s*\)/g)];
  return calls.map((m) => m[1]);
}

test('index.html links only global stylesheets, none of a component or view', () => {
  const links = [...read('index.html').matchAll(/<link\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => /rel=["']?stylesheet/.test(tag));
  assert.ok(links.length > 0, 'index.html links the global stylesheet');
  for (const tag of links) {
    const href = /href=["']([^"']+)["']/.exec(tag)?.[1] ?? '';
    assert.doesNotMatch(href, /^(\.\/)?(components|views)\//,
      `index.html links ${href}; a component or view loads its own stylesheet from its module`);
    assert.ok(existsSync(join(ui, href)), `index.html links ${href}, which does not exist`);
  }
});

test("every component's and view's stylesheet is loaded by its folder's module", () => {
  const missing = [];
  let sheets = 0;
  for (const folder of folders()) {
    const name = folder.split('/')[1];
    const css = readdirSync(join(ui, folder)).filter((f) => f.endsWith('.css'));
    if (css.length === 0) continue;
    const main = `${folder}/${name}.js`;
    const loads = existsSync(join(ui, main)) ? loadedBy(read(main)) : [];
    for (const file of css) {
      sheets++;
      if (!loads.includes(`./${file}`)) missing.push(`${folder}/${file} (add to ${main}: loadStyle(new URL('./${file}', import.meta.url));)`);
    }
  }
  assert.ok(sheets > 20, `found ${sheets} component and view stylesheets`);
  assert.deepEqual(missing, [], 'stylesheets their module does not load');
});

test('every stylesheet a module loads exists beside it', () => {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : []);
  let calls = 0;
  for (const file of walk(ui)) {
    for (const css of loadedBy(readFileSync(file, 'utf8'))) {
      calls++;
      const target = fileURLToPath(new URL(css, pathToFileURL(file)));
      assert.ok(existsSync(target), `${relative(ui, file)} loads ${css}, which does not exist`);
    }
  }
  assert.ok(calls > 20, `found ${calls} loadStyle calls`);
});

/** A document with just what loadStyle uses: createElement('link'), head.append, events. */
function fakeDocument() {
  const linked = [];
  const doc = {
    head: { append: (el) => linked.push(el) },
    createElement(tag) {
      assert.equal(tag, 'link');
      const listeners = {};
      return {
        addEventListener: (type, fn) => { listeners[type] = fn; },
        fire: (type) => listeners[type]?.(),
      };
    },
  };
  return { doc, linked };
}

test('loadStyle links a sheet once, and stylesLoaded waits until it has loaded', async () => {
  const { doc, linked } = fakeDocument();
  globalThis.document = doc;
  try {
    const { loadStyle, stylesLoaded } = await import(`../../../ui/lib/styles.js?fresh=${Date.now()}`);
    const url = new URL('./views/x/x.css', 'tauri://localhost/');
    const first = loadStyle(url);
    assert.equal(loadStyle(url), first, 'the same file asked for twice is linked once');
    assert.equal(linked.length, 1);
    assert.equal(linked[0].rel, 'stylesheet');
    assert.equal(linked[0].href, 'tauri://localhost/views/x/x.css');

    let done = false;
    const all = stylesLoaded().then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(done, false, 'not loaded yet');
    linked[0].fire('load');
    await all;
    assert.equal(done, true);

    // A sheet that fails to load does not keep the app from opening.
    const errors = [];
    const log = console.error;
    console.error = (m) => errors.push(m);
    try {
      loadStyle(new URL('./views/y/y.css', 'tauri://localhost/'));
      linked[1].fire('error');
      await stylesLoaded();
    } finally {
      console.error = log;
    }
    assert.match(errors.join(), /y\.css/);
  } finally {
    delete globalThis.document;
  }
});
