// End to end in the real Doudi window, as the county approver (spr): the coordination meeting under
// way in the demo county is finished live (three more units' opinions, the tally reaching the
// majority, the decision with its minutes), then the month's payments are run, reviewed, locked
// and the bank's 发放花名册 is written to a file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { By, Key } from 'selenium-webdriver';
import { startApp, signIn, visible, textOf, screenshot, choose, sleep } from '../lib/session.mjs';

let driver;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'doudi-money-'));

before(async () => {
  driver = await startApp();
  await signIn(driver, 'spr');
});
after(async () => {
  if (driver) await driver.quit();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Set a text field the way a user does: select what is there and type over it. */
async function typeInto(css, text) {
  const el = await visible(driver, css);
  await el.clear();
  await el.sendKeys(text);
  return el;
}

test('the approver finishes the meeting under way: opinions, tally, decision with minutes', async () => {
  await driver.findElement(By.css('.mainnav a[data-path="/meetings"]')).click();
  await visible(driver, '#meeting-table tbody tr');
  await driver.findElement(By.css('#meeting-table tbody tr a')).click();
  const quorum = await textOf(driver, '#quorum-status', /实到 7 个/);
  assert.match(quorum, /已达到法定人数/);
  // Three opinions were recorded before; the tally shows them.
  await textOf(driver, '.agenda-item .tally', /同意 2，修改后同意 1/);
  const opinions = [['财政局', '按程序拨付救助资金'], ['人社局', '帮助配偶登记求职'], ['卫健委', '']];
  for (const [unit, commitment] of opinions) {
    const row = `.agenda-item tr[data-unit="${unit}"]`;
    await choose(driver, `${row} select[name=opinion]`, 'option[value="agree"]');
    if (commitment) await typeInto(`${row} input[name=commitment]`, commitment);
    // The approver enters another unit's opinion only from its signed paper opinion.
    await typeInto(`${row} input[name=paper_opinion_ref]`, `${unit}签章书面意见`);
    const save = await driver.findElement(By.css(`${row} .save-opinion`));
    // The row is wider with the paper-opinion column: bring its button to the middle first.
    await driver.executeScript('arguments[0].scrollIntoView({block: "center", inline: "center"})', save);
    await save.click();
    await driver.wait(async () => {
      const toasts = await driver.findElements(By.css('.toast'));
      const texts = await Promise.all(toasts.map((t) => t.getText().catch(() => '')));
      return texts.some((t) => t.includes(`已记录${unit}的意见`));
    }, 15000, `no confirmation for ${unit}`);
  }
  const tally = await textOf(driver, '.agenda-item .tally', /同意 5，修改后同意 1/);
  // Each entry is attributed: 医保局's own user recorded its opinion (demo), spr entered 财政局's from paper.
  await textOf(driver, '.agenda-item tr[data-unit="医保局"] td.entered', /孙立新登记/);
  await textOf(driver, '.agenda-item tr[data-unit="财政局"] td.entered', /赵红梅据书面意见录入（财政局签章书面意见）/);
  assert.match(tally, /同意的已/);
  // The decision: approve the proposed amount, 民政局 and 医保局 responsible, minutes typed.
  await choose(driver, '.decide-form select[name=decision]', 'option[value="approve"]');
  for (const unit of ['民政局', '医保局']) {
    const box = await driver.findElement(By.css(`.decide-form input[name=unit][value="${unit}"]`));
    await driver.executeScript('arguments[0].scrollIntoView({block: "center", inline: "center"})', box);
    await box.click();
  }
  await typeInto('.decide-form textarea[name=minutes]',
    '会议听取了街道办事处的情况汇报，出席单位一致认为该户因病致贫，同意一次性救助 1.5 万元，医保局落实二次报销，教育局资助子女学费。');
  await screenshot(driver, 'money-meeting-before-decision');
  await driver.findElement(By.css('.decide-form button[type=submit]')).click();
  const decided = await textOf(driver, '.agenda-item .banner.ok', /已决定/);
  assert.match(decided, /同意救助，救助 15,000\.00 元/);
  assert.match(await driver.findElement(By.css('.minutes')).getText(), /因病致贫/);
  await screenshot(driver, 'money-meeting', 'meeting.png');
});

test('the approver runs the month, reviews the differences, locks it and writes the roster', async () => {
  await driver.findElement(By.css('.mainnav a[data-path="/payments"]')).click();
  await visible(driver, '#payments-run');
  await driver.findElement(By.css('#payments-run')).click();
  await textOf(driver, '#payments-banner', /已发放：新增 \d+ 笔/);
  const total = await textOf(driver, '#payments-total', /[1-9][\d,]*\.\d\d 元/);
  // Each difference carries its reason; review them all, then lock.
  if (await driver.findElement(By.css('#payments-review')).isDisplayed()) {
    const rows = await driver.findElements(By.css('#payments-differences tbody tr'));
    assert.ok(rows.length > 0, 'differences listed before review');
    await driver.findElement(By.css('#payments-review')).click();
    await textOf(driver, '#payments-banner', /已审核 \d+ 条变化/);
  }
  await textOf(driver, '#payments-unreviewed', /^0 条$/);
  await driver.findElement(By.css('#payments-lock')).click();
  // Locking says what cannot be undone before it is confirmed.
  const dlg = await visible(driver, 'dialog .dialog-form');
  assert.match(await dlg.getText(), /锁定/);
  await dlg.findElement(By.css('#dialog-submit')).click();
  await textOf(driver, '#payments-state', /已锁定/);
  await screenshot(driver, 'money-payments', 'payments.png');
  const roster = path.join(out, '发放花名册.xlsx');
  await typeInto('#payments-roster-path', roster);
  await driver.findElement(By.css('#payments-roster')).click();
  const said = await textOf(driver, '#payments-banner', /花名册已写入/);
  assert.ok(said.includes(`合计 ${total.replace(/ 元$/, '')} 元`), `${said} vs ${total}`);
  await sleep(200);
  const bytes = fs.readFileSync(roster);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
  // The month's statistics: the same total, the chart of twelve months, saved as PDF.
  await driver.findElement(By.css('.mainnav a[data-path="/reports"]')).click();
  // Every yuan of the month by route: the roster's routes add up to the month's roster total,
  // and the spending is the sum of every route (先行救助 and stages paid by hand included).
  const spent = await textOf(driver, '#report-spending', /\d/);
  const fen = (text) => Math.round(Number(text.replace(/[, 元]/g, '')) * 100);
  const routes = await Promise.all((await driver.findElements(By.css('#report-other tr.route'))).map(async (tr) => {
    const cells = await tr.findElements(By.css('td'));
    return { label: await cells[0].getText(), fen: fen(await cells[3].getText()) };
  }));
  const rostered = routes.filter((r) => r.label.includes('月度发放花名册')).reduce((a, r) => a + r.fen, 0);
  assert.equal(rostered, fen(total), `roster routes ${JSON.stringify(routes)} vs ${total}`);
  assert.equal(routes.reduce((a, r) => a + r.fen, 0), fen(spent), `routes vs ${spent}`);
  assert.equal((await driver.findElements(By.css('#report .chart rect.bar'))).length, 12);
  await screenshot(driver, 'money-reports');
  await driver.executeScript("document.querySelector('#report-other').scrollIntoView()");
  await screenshot(driver, 'money-reports-chart', 'reports.png');
  await driver.findElement(By.css('#report-pdf')).click();
  const pathField = await visible(driver, '.dialog input[name=path]');
  await pathField.clear();
  const pdf = path.join(out, '月度统计.pdf');
  await pathField.sendKeys(pdf, Key.ENTER);
  await visible(driver, '.dialog .dialog-message');
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  await driver.findElement(By.css('.dialog .dialog-cancel')).click();
});
