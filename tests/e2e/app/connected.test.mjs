// End to end in connected mode: two Doudi desktops (two app processes, each with its own sign-in
// held in memory) work on the county server run.sh started on loopback. The township caseworker
// registers a 低保 case and records the survey on one; the township reviewer reviews and posts
// the notice on the other; the county approver then approves there, and the caseworker's window
// shows the approval. Both windows name the server and show it reachable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { By } from 'selenium-webdriver';
import { startApp, signIn, visible, textOf, screenshot, currentHash, env } from '../lib/session.mjs';

let township; // the caseworker's desktop
let county; // the reviewer's, then the approver's desktop

before(async () => {
  township = await startApp({ server: true });
  county = await startApp({ server: true, second: true });
});
after(async () => {
  for (const d of [township, county]) if (d) await d.quit();
});

function daysAgo(n) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function invoke(driver, name, input) {
  return driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.__TAURI__.core.invoke('call', { name: arguments[0], input: arguments[1] })
       .then((v) => done({ ok: v }), (e) => done({ err: e }));`, name, input);
}

async function signOut(driver) {
  await driver.findElement(By.css('#sign-out')).click();
  await visible(driver, '#signin-username');
}

/** Click a step's button, fill its dialog, submit, and wait for the new state. */
async function step(driver, code, fill, stateLabel, before = async () => {}) {
  await driver.findElement(By.css(`#case-actions [data-action="${code}"]`)).click();
  const dlg = await visible(driver, 'dialog .dialog-form');
  for (const [name, value] of Object.entries(fill)) {
    const el = await dlg.findElement(By.css(`[name="${name}"]`));
    await el.clear();
    await el.sendKeys(value);
  }
  await before(dlg);
  await dlg.findElement(By.css('#dialog-submit')).click();
  try {
    await driver.wait(async () => (await driver.findElements(By.css('dialog[open]'))).length === 0, 15000);
    await textOf(driver, '#case-state', (t) => t === stateLabel);
  } catch (e) {
    await screenshot(driver, `connected-fail-${code}`);
    const errors = await driver.findElements(By.css('dialog .field-error, dialog .form-error'));
    const texts = (await Promise.all(errors.map((x) => x.getText()))).filter(Boolean);
    throw new Error(`${code}: ${e.message}; dialog says: ${texts.join(' / ')}`);
  }
}

test('two desktops pass a 低保 case through the county server', async (t) => {
  let caseId;

  await t.test('both windows name the server and find it reachable', async () => {
    for (const d of [township, county]) {
      await visible(d, '#signin-username', 30000);
      await textOf(d, '#link-status', (x) => x === `县级服务器 ${env.server} · 已连接`);
    }
    await signIn(township, 'jbr1', '#work-queue, #queue-empty');
    await signIn(county, 'shr1', '#work-queue, #queue-empty');
  });

  await t.test('the caseworker registers the case and records the survey on her desktop', async () => {
    let householdId;
    const found = await invoke(township, 'household.search', { page_size: 100 });
    assert.ok(found.ok, JSON.stringify(found.err));
    for (const h of found.ok.items) {
      const cases = await invoke(township, 'case.list', { household_id: h.id });
      if (cases.ok.cases.length) continue;
      const calc = await invoke(township, 'benefit.calculate', { household_id: h.id, programme: 'dibao', month: daysAgo(0).slice(0, 7) });
      if (calc.ok && Number(calc.ok.amount) > 0) { householdId = h.id; break; }
    }
    assert.ok(householdId, 'the county has an eligible family without a case');
    await township.executeScript(`location.hash = '/households/${householdId}'`);
    await visible(township, '#case-apply');
    await township.findElement(By.css('#case-apply')).click();
    const dlg = await visible(township, 'dialog .dialog-form');
    const applied = await dlg.findElement(By.css('[name="applied_on"]'));
    await applied.clear();
    await applied.sendKeys(daysAgo(20));
    await dlg.findElement(By.css('#dialog-submit')).click();
    await textOf(township, '#case-state', (x) => x === '已申请');
    caseId = Number((await currentHash(township)).split('/').pop());
    await step(township, 'accept', { date: daysAgo(19) }, '已受理');
    await step(township, 'record_verification', { date: daysAgo(18), summary: '无车辆、无工商登记' }, '已受理');
    await step(township, 'record_survey', { date: daysAgo(17), findings: '住房简陋' }, '已调查', async (d) => {
      const boxes = await d.findElements(By.css('input[name^="investigator_ids"]'));
      const names = await Promise.all(boxes.map((b) => b.findElement(By.xpath('..')).getText()));
      for (const who of ['李静', '刘洋']) await boxes[names.findIndex((n) => n.includes(who))].click();
    });
  });

  await t.test('the reviewer on the other desktop finds it, reviews and posts the notice', async () => {
    // The queue this window opened on at sign-in predates the case: leave and come back to it.
    await county.executeScript(`location.hash = '/cases'`);
    await county.sleep(800);
    await county.executeScript(`location.hash = '/queue'`);
    const row = await visible(county, `#work-queue tr[data-href="#/cases/${caseId}"]`);
    await row.findElement(By.css('a')).click();
    await textOf(county, '#case-state', (x) => x === '已调查');
    await step(county, 'review_township', { date: daysAgo(16), opinion: '经审核，情况属实，同意公示' }, '乡镇已审核');
    await step(county, 'start_notice', { date: daysAgo(15) }, '公示中');
    await signOut(county);
  });

  await t.test('the approver approves there, and the caseworker sees it on hers', async () => {
    await signIn(county, 'spr', '#work-queue, #queue-empty');
    await visible(county, `#work-queue tr[data-href="#/cases/${caseId}"]`);
    await county.findElement(By.css(`#work-queue tr[data-href="#/cases/${caseId}"] a`)).click();
    await textOf(county, '#case-state', (x) => x === '公示中');
    await step(county, 'approve', {}, '在保');
    await screenshot(county, 'connected-approved');
    // The caseworker's window, still signed in on its own token, reads the case from the server.
    await township.executeScript(`location.hash = '/queue'`);
    await township.executeScript(`location.hash = '/cases/${caseId}'`);
    await textOf(township, '#case-state', (x) => x === '在保');
    await textOf(township, '#case-timeline', (x) => ['李静', '王志刚', '赵红梅'].every((who) => x.includes(who)));
  });
});
