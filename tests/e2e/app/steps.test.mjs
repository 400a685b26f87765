// End to end in the real Doudi window: steps an office needs (issue 21 items 3 and 4). A
// caseworker records an applicant's withdrawal (撤回) after a dialog saying it cannot be undone,
// and records periodic reviews with no change for the selected cases of the work queue in one
// batch, filtered to 定期核查.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { By, until } from 'selenium-webdriver';
import { startApp, signIn, visible, textOf, screenshot } from '../lib/session.mjs';

let driver;

before(async () => { driver = await startApp(); });
after(async () => { if (driver) await driver.quit(); });

/** Read-only lookups through the app's own command bridge, to choose a family for the test. */
function invoke(name, input) {
  return driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.__TAURI__.core.invoke('call', { name: arguments[0], input: arguments[1] })
       .then((v) => done({ ok: v }), (e) => done({ err: e }));`, name, input);
}

test('an applicant withdraws an application, and periodic reviews go through in a batch', async (t) => {
  await signIn(driver, 'jbr3', '#work-queue, #queue-empty');

  await t.test('the caseworker records a withdrawal after being told it cannot be undone', async () => {
    const found = await invoke('household.search', { page_size: 100 });
    assert.ok(found.ok, JSON.stringify(found.err));
    let householdId;
    for (const h of found.ok.items.slice().reverse()) {
      const cases = await invoke('case.list', { household_id: h.id });
      if (!cases.ok.cases.length) { householdId = h.id; break; }
    }
    assert.ok(householdId, 'the demo township has a family without a case');
    await driver.executeScript(`location.hash = '/households/${householdId}'`);
    await visible(driver, '#case-apply');
    await driver.findElement(By.css('#case-apply')).click();
    let dlg = await visible(driver, 'dialog .dialog-form');
    await dlg.findElement(By.css('[name="application_note"]')).sendKeys('家庭收入下降');
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, '#case-state', (x) => x === '已申请');
    await driver.findElement(By.css('#case-actions [data-action="withdraw"]')).click();
    dlg = await visible(driver, 'dialog .dialog-form');
    await textOf(driver, '#irreversible-note', /不能恢复办理/);
    // A blank reason is refused beside its field; nothing changes.
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, 'dialog .field-error[data-for="reason"]', /撤回原因/);
    await dlg.findElement(By.css('[name="reason"]')).sendKeys('申请人书面撤回：已在县城就业');
    await screenshot(driver, '21-withdraw-dialog');
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, '#case-state', (x) => x === '已撤回');
    await textOf(driver, '#case-timeline', /登记撤回申请/);
    const buttons = await driver.findElements(By.css('#case-actions [data-action]'));
    assert.equal(buttons.length, 0, 'a withdrawn case takes no step');
  });

  await t.test('the work queue filters to periodic reviews and records two in one batch', async () => {
    await driver.executeScript(`location.hash = '/queue'`);
    await visible(driver, '#queue-filters');
    // Ticking the filter calls the queue again and draws it anew: wait for the old one to go.
    const unfiltered = await driver.findElement(By.css('#queue-filters'));
    await driver.findElement(By.css('#queue-reviews-only')).click();
    await driver.wait(until.stalenessOf(unfiltered), 15000, 'the queue was not drawn again after filtering');
    await visible(driver, '#queue-select-all');
    // The filtered queue renders after its call returns: wait until only periodic reviews show.
    let picks = [];
    await driver.wait(async () => {
      try {
        picks = await driver.findElements(By.css('.queue-pick'));
        const rows = await driver.findElements(By.css('#work-queue tbody tr'));
        return picks.length >= 2 && rows.length === picks.length;
      } catch {
        return false;
      }
    }, 15000, 'the queue never showed only periodic reviews (at least two, the demo caseworker has them due)');
    await picks[0].click();
    await picks[1].click();
    await textOf(driver, '#queue-batch-review', /2 件/);
    await driver.findElement(By.css('#queue-batch-review')).click();
    const dlg = await visible(driver, 'dialog .dialog-form');
    await textOf(driver, 'dialog [name="findings"]', () => true);
    await screenshot(driver, '22-batch-review');
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, '#batch-result', /已登记定期核查 2 件/);
    const left = await driver.findElements(By.css('.queue-pick'));
    assert.equal(left.length, picks.length - 2, 'the reviewed cases have left the queue');
  });
});
