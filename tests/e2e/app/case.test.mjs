// End to end in the real Doudi window: a 低保 case from application to approval, by the people
// the procedure requires — the township caseworker registers, accepts and records the
// verification and the household survey (with a colleague), the township reviewer reviews and
// posts the notice, the county approver approves once the notice is over. Steps are back-dated,
// as offices enter paper records afterwards, so the seven-day notice has ended today. Each user
// sees only the steps they may take.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { By } from 'selenium-webdriver';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, signIn, visible, textOf, screenshot, currentHash, env } from '../lib/session.mjs';

let driver;

before(async () => { driver = await startApp(); });
after(async () => { if (driver) await driver.quit(); });

/** yyyy-mm-dd, `n` days before today (local time, as the app's clock). */
function daysAgo(n) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Read-only lookups through the app's own command bridge, to choose a family for the test. */
function invoke(name, input) {
  return driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.__TAURI__.core.invoke('call', { name: arguments[0], input: arguments[1] })
       .then((v) => done({ ok: v }), (e) => done({ err: e }));`, name, input);
}

async function signInAs(user) {
  await signIn(driver, user, '#work-queue, #queue-empty');
}

async function signOut() {
  await driver.findElement(By.css('#sign-out')).click();
  await visible(driver, '#signin-username');
}

async function actionCodes() {
  const buttons = await driver.findElements(By.css('#case-actions [data-action]'));
  return Promise.all(buttons.map((b) => b.getAttribute('data-action')));
}

/** Click a step's button, fill its dialog, submit, and wait for the new state. */
async function step(code, fill, stateLabel) {
  await driver.findElement(By.css(`#case-actions [data-action="${code}"]`)).click();
  const dlg = await visible(driver, 'dialog .dialog-form');
  for (const [name, value] of Object.entries(fill)) {
    const el = await dlg.findElement(By.css(`[name="${name}"]`));
    await el.clear();
    await el.sendKeys(value);
  }
  return { dlg, submit: async () => {
    await dlg.findElement(By.css('#dialog-submit')).click();
    try {
      await driver.wait(async () => (await driver.findElements(By.css('dialog[open]'))).length === 0, 15000);
      await textOf(driver, '#case-state', (t) => t === stateLabel);
    } catch (e) {
      await screenshot(driver, `fail-${code}`);
      const errors = await driver.findElements(By.css('dialog .field-error, dialog .form-error'));
      const texts = (await Promise.all(errors.map((x) => x.getText()))).filter(Boolean);
      throw new Error(`${code}: ${e.message}; dialog says: ${texts.join(' / ')}`);
    }
  } };
}

test('a 低保 case goes from application to approval through three users', async (t) => {
  let householdId;
  let caseId;

  await t.test('the caseworker registers the application', async () => {
    await signInAs('jbr1');
    // A family of the township with no case yet, whose 低保 by the rules is above zero.
    const found = await invoke('household.search', { page_size: 100 });
    assert.ok(found.ok, JSON.stringify(found.err));
    for (const h of found.ok.items) {
      const cases = await invoke('case.list', { household_id: h.id });
      if (cases.ok.cases.length) continue;
      const calc = await invoke('benefit.calculate', { household_id: h.id, programme: 'dibao', month: daysAgo(0).slice(0, 7) });
      if (calc.ok && Number(calc.ok.amount) > 0) { householdId = h.id; break; }
    }
    assert.ok(householdId, 'the demo township has an eligible family without a case');
    await driver.executeScript(`location.hash = '/households/${householdId}'`);
    await visible(driver, '#case-apply');
    await driver.findElement(By.css('#case-apply')).click();
    const dlg = await visible(driver, 'dialog .dialog-form');
    const applied = await dlg.findElement(By.css('[name="applied_on"]'));
    await applied.clear();
    await applied.sendKeys(daysAgo(20));
    await dlg.findElement(By.css('[name="application_note"]')).sendKeys('家庭收入低于低保标准');
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, '#case-state', (x) => x === '已申请');
    caseId = Number((await currentHash(driver)).split('/').pop());
    assert.deepEqual(await actionCodes(), ['accept', 'withdraw']);
  });

  await t.test('accepts, records the verification and the survey with a colleague', async () => {
    await (await step('accept', { date: daysAgo(19) }, '已受理')).submit();
    assert.deepEqual(await actionCodes(), ['record_verification', 'record_survey', 'withdraw']);
    await (await step('record_verification', { date: daysAgo(18), summary: '无车辆、无工商登记，存款低于限额' }, '已受理')).submit();
    const s = await step('record_survey', { date: daysAgo(17), findings: '住房简陋，户主患慢性病' }, '已调查');
    // One investigator is refused beside the staff list; nothing changes.
    const boxes = await s.dlg.findElements(By.css('input[name^="investigator_ids"]'));
    const names = await Promise.all(boxes.map((b) => b.findElement(By.xpath('..')).getText()));
    await boxes[names.findIndex((n) => n.includes('李静'))].click();
    await s.dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(driver, 'dialog .field-error[data-for="investigator_ids[0]"]', /至少 2 名/);
    await screenshot(driver, '11-survey-refused');
    await boxes[names.findIndex((n) => n.includes('刘洋'))].click();
    await s.submit();
    // The caseworker who investigated may not review: no such button.
    assert.ok(!(await actionCodes()).includes('review_township'));
    await signOut();
  });

  await t.test('the reviewer finds it in 待我处理, reviews and posts the notice', async () => {
    await signInAs('shr1');
    const row = await visible(driver, `#work-queue tr[data-href="#/cases/${caseId}"]`);
    await row.findElement(By.css('a')).click();
    await textOf(driver, '#case-state', (x) => x === '已调查');
    await (await step('review_township', { date: daysAgo(16), opinion: '经审核，情况属实，同意公示' }, '乡镇已审核')).submit();
    await (await step('start_notice', { date: daysAgo(15) }, '公示中')).submit();
    assert.ok(!(await actionCodes()).includes('approve'), 'the township does not approve');
    await signOut();
  });

  await t.test('the county approver approves with the amount from the rules', async () => {
    await signInAs('spr');
    await visible(driver, `#work-queue tr[data-href="#/cases/${caseId}"]`);
    await screenshot(driver, '12-approver-queue', 'work-queue.png');
    await driver.findElement(By.css(`#work-queue tr[data-href="#/cases/${caseId}"] a`)).click();
    await textOf(driver, '#case-state', (x) => x === '公示中');
    // The dialog shows the amount and its calculation before the approver confirms.
    const approve = await step('approve', {}, '在保');
    await textOf(driver, '#approve-preview .dialog-amount', /起每月 [\d.,]+ 元/);
    await textOf(driver, '#approve-preview .trail-summary', /标准/);
    await approve.submit();
    // Read through textOf: the page may still be redrawing after the step.
    await textOf(driver, '#case-timeline', (t) => ['李静', '王志刚', '赵红梅'].every((who) => t.includes(who)));
    await textOf(driver, '.amount-row h4', /起每月 [\d.]+ 元/);
    await screenshot(driver, '13-case-approved', 'case-page.png');
  });

  await t.test('the approval form is saved as PDF from the case page', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doudi-doc-')), '审批表.pdf');
    await driver.findElement(By.css('#doc-approval')).click();
    const dlg = await visible(driver, 'dialog .dialog-form');
    const where = await dlg.findElement(By.css('[name="path"]'));
    assert.match(await where.getAttribute('value'), /兜底.*审批表\.pdf$/);
    await where.clear();
    await where.sendKeys(out);
    await dlg.findElement(By.css('#dialog-submit')).click();
    // The next dialog offers to open it in the system's viewer; the test declines.
    await textOf(driver, 'dialog .dialog-message', /已保存到/);
    await driver.findElement(By.css('dialog .dialog-cancel')).click();
    const pdf = fs.readFileSync(out);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    fs.copyFileSync(out, path.join(env.artifacts, 'approval-form.pdf'));
    await textOf(driver, '#case-timeline', /生成文书/);
  });
});
