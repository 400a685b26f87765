// One WebDriver session on the real Doudi window (tauri-driver → WebKitWebDriver → doudi-app),
// with the waits and screenshots the tests share.

import fs from 'node:fs';
import path from 'node:path';
import { Builder, By, Key, until } from 'selenium-webdriver';

export const env = {
  app: process.env.DOUDI_APP,
  db: process.env.DOUDI_DB,
  driverUrl: process.env.TAURI_DRIVER_URL || 'http://127.0.0.1:4444/',
  /** A second driver, for a second desktop open at the same time (one session per driver). */
  driverUrl2: process.env.TAURI_DRIVER_URL_2 || '',
  artifacts: process.env.E2E_ARTIFACTS || path.resolve('artifacts'),
  screenshots: process.env.E2E_SCREENSHOTS || '',
  /** The loopback county server and its certificate's fingerprint (connected mode). */
  server: process.env.E2E_SERVER || '',
  fingerprint: process.env.E2E_FINGERPRINT || '',
};

/** A Doudi window on the demo database, or with `{ server: true }` a desktop connected to the
 *  county server run.sh started (its own process: its own sign-in, held in its memory);
 *  `{ second: true }` opens it through the second driver, beside a window already open. */
export async function startApp({ server = false, second = false } = {}) {
  if (second && !env.driverUrl2) throw new Error('TAURI_DRIVER_URL_2 must be set (tests/e2e/run.sh sets it)');
  if (!env.app || !env.db) throw new Error('DOUDI_APP and DOUDI_DB must be set (tests/e2e/run.sh sets them)');
  if (server && !(env.server && env.fingerprint)) throw new Error('E2E_SERVER and E2E_FINGERPRINT must be set (tests/e2e/run.sh sets them)');
  const args = server ? ['--server', env.server, '--fingerprint', env.fingerprint] : ['--db', env.db];
  const driver = await new Builder()
    .usingServer(second ? env.driverUrl2 : env.driverUrl)
    .withCapabilities({
      browserName: 'wry',
      'tauri:options': { application: env.app, args },
    })
    .build();
  await driver.manage().setTimeouts({ implicit: 0, script: 20000 });
  return driver;
}

/** Sign in on the sign-in screen as a demo user (password doudi2026) and wait for `ready`. */
export async function signIn(driver, user, ready = '.mainnav a') {
  await visible(driver, '#signin-username', 30000);
  await driver.findElement(By.css('#signin-username')).sendKeys(user);
  await driver.findElement(By.css('#signin-password')).sendKeys('doudi2026', Key.ENTER);
  await visible(driver, ready);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait for an element to be in the document and visible. */
export async function visible(driver, css, timeout = 15000) {
  const el = await driver.wait(until.elementLocated(By.css(css)), timeout, `no ${css}`);
  await driver.wait(until.elementIsVisible(el), timeout, `${css} not visible`);
  return el;
}

/** Wait until `css`'s text satisfies `test` (a RegExp or function); returns the text. */
export async function textOf(driver, css, test, timeout = 15000) {
  let last = '';
  const ok = typeof test === 'function' ? test : (t) => test.test(t);
  try {
    await driver.wait(async () => {
      try {
        const els = await driver.findElements(By.css(css));
        if (!els.length) return false;
        last = await els[0].getText();
      } catch (e) {
        // The page may redraw between finding the element and reading it (a timeline refreshed
        // after an action): look again rather than fail.
        if (e.name === 'StaleElementReferenceError') return false;
        throw e;
      }
      return ok(last);
    }, timeout);
  } catch (e) {
    throw new Error(`text of ${css} never matched ${test}; last seen: ${JSON.stringify(last)}`);
  }
  return last;
}

/** Wait ~500 ms for the window to settle, then save a PNG into artifacts (and into docs/screenshots
 *  as `docsName` if given). */
export async function screenshot(driver, name, docsName) {
  if (docsName) {
    // Pictures for the docs wait for confirmations ("已保存") to fade.
    await driver.wait(async () => (await driver.findElements(By.css('.toast'))).length === 0, 8000).catch(() => {});
  }
  await sleep(500);
  const png = Buffer.from(await driver.takeScreenshot(), 'base64');
  fs.mkdirSync(env.artifacts, { recursive: true });
  fs.writeFileSync(path.join(env.artifacts, `${name}.png`), png);
  if (docsName && env.screenshots) {
    fs.mkdirSync(env.screenshots, { recursive: true });
    fs.writeFileSync(path.join(env.screenshots, docsName), png);
  }
}

/** Choose an option of a <select> the way a user does, and tell the page it changed. */
export async function choose(driver, selectCss, optionCss) {
  const option = await driver.findElement(By.css(`${selectCss} ${optionCss}`));
  await option.click();
  const select = await driver.findElement(By.css(selectCss));
  // Some WebDriver back ends select without firing `change`; firing it again is harmless.
  await driver.executeScript(
    "arguments[0].selected = true; arguments[1].dispatchEvent(new Event('change', { bubbles: true }));",
    option, select,
  );
  return option.getText();
}

export async function currentHash(driver) {
  return driver.executeScript('return location.hash');
}
