// End to end in the real Doudi window: every component's and view's stylesheet is loaded (each
// module links its own), and every section of the navigation opens without an error for the
// township caseworker, the county approver and the administrator (screenshots of each).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { By } from 'selenium-webdriver';
import { startApp, signIn, visible, screenshot, sleep } from '../lib/session.mjs';

let driver;

before(async () => { driver = await startApp(); });
after(async () => { if (driver) await driver.quit(); });

async function visitAll(user) {
  await signIn(driver, user);
  const paths = await Promise.all((await driver.findElements(By.css('.mainnav a'))).map((a) => a.getAttribute('data-path')));
  for (const path of paths) {
    const link = await driver.findElement(By.css(`.mainnav a[data-path="${path}"]`));
    if (!(await link.isDisplayed())) await driver.findElement(By.css('#nav-more summary')).click();
    await link.click();
    await visible(driver, '.view-slot > *');
    await sleep(700);
    const errors = await driver.findElements(By.css('.view-slot .banner.error'));
    const texts = await Promise.all(errors.map((e) => e.getText()));
    await screenshot(driver, `pages-${user}${path.replaceAll('/', '-')}`);
    assert.deepEqual(texts, [], `${user} ${path}`);
  }
  await driver.findElement(By.css('#sign-out')).click();
}

/** 'views/about/about.css', … : every stylesheet of a component or view, and whether it has print rules. */
function componentSheets() {
  const ui = fileURLToPath(new URL('../../../ui/', import.meta.url));
  return ['components', 'views'].flatMap((top) => fs.readdirSync(ui + top).flatMap((name) =>
    fs.readdirSync(`${ui}${top}/${name}`).filter((f) => f.endsWith('.css')).map((f) => {
      const file = `${top}/${name}/${f}`;
      return { file, print: fs.readFileSync(ui + file, 'utf8').includes('@media print') };
    })));
}

test('the sign-in page opens with every stylesheet loaded once, app.css first, print rules in place', async () => {
  await visible(driver, '#signin-username', 30000);
  const sheets = await driver.executeScript(() => [...document.styleSheets].map((s) => {
    let rules = -1;
    let print = 0;
    try {
      rules = s.cssRules.length;
      print = [...s.cssRules].filter((r) => r.media && r.media.mediaText.includes('print')).length;
    } catch (e) { /* not readable: counted as not loaded */ }
    // index.html's own links keep the relative href it was written with; a module's loadStyle
    // gives the absolute URL it built from import.meta.url.
    return { href: s.href || '', attr: s.ownerNode.getAttribute('href') || '', rules, print };
  }));
  const paths = sheets.map((s) => new URL(s.href).pathname.replace(/^\//, ''));
  assert.equal(paths[0], 'app.css', "the global sheet comes first, so a view's rules win over it");
  assert.equal(new Set(paths).size, paths.length, `a sheet linked twice: ${paths}`);
  for (const { file, print } of componentSheets()) {
    const i = paths.indexOf(file);
    assert.ok(i > 0, `${file} is not linked (${paths.join(', ')})`);
    assert.ok(sheets[i].rules > 0, `${file} did not load`);
    assert.match(sheets[i].attr, /^[a-z]+:\/\//, `${file} is linked by index.html, not by its module`);
    if (print) assert.ok(sheets[i].print > 0, `${file} lost its print rules`);
  }
  assert.ok(sheets[0].print > 0, 'app.css has the print rules');
  // Drawn styled: the sign-in card has its own width from signin.css, not the page's.
  const width = await driver.executeScript(() => getComputedStyle(document.querySelector('.signin')).width);
  assert.equal(width, '340px');
});

test('every section opens for each kind of user', async () => {
  for (const user of ['jbr1', 'spr', 'admin']) await visitAll(user);
});
