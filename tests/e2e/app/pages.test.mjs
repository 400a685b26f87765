// End to end in the real Doudi window: every section of the navigation opens without an error for
// the township caseworker, the county approver and the administrator (screenshots of each).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('every section opens for each kind of user', async () => {
  for (const user of ['jbr1', 'spr', 'admin']) await visitAll(user);
});
