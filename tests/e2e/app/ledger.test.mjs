// End to end in the real Doudi window: the county approver imports a paper-era 低保 ledger saved as
// CSV (UTF-8 with BOM, as Excel writes it): preview with the proposed column mapping, a check
// that lists a wrong ID number by row and column and writes nothing, the import of the valid rows
// only, and a second import of the same file that adds nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { By, Key } from 'selenium-webdriver';
import { startApp, signIn, env, visible, textOf, screenshot } from '../lib/session.mjs';

let driver;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'doudi-ledger-'));
const cli = path.resolve('../../target/debug/doudi');

/** A resident ID number with its check digit. */
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

function areas() {
  const text = execFileSync(cli, ['--db', env.db, 'call', 'area.list', '{}'],
    { env: { ...process.env, DOUDI_USER: 'admin', DOUDI_PASSWORD: 'doudi2026' } });
  return JSON.parse(text).areas;
}

let file;
before(async () => {
  const all = areas();
  const township = all.find((a) => a.level === 'township');
  const village = all.find((a) => a.level === 'village' && a.parent_id === township.id);
  const good1 = idNumber('41012219650307041');
  const good2 = idNumber('41012219580912052');
  const spouse = idNumber('41012219660101062');
  const bad = good1.slice(0, 17) + (good1[17] === '0' ? '1' : '0');
  const rows = [
    '户主姓名,身份证号,乡镇（街道）,村（社区）,家庭住址,户籍,保障类别,保障人数,月保障金额,起始发放年月,开户银行,银行账号,家庭成员',
    `郑秀英,${good1},${township.name},${village.name},${village.name}12号,${township.urban_rural === 'urban' ? '城镇' : '农村'},低保,2,560.00,2024-03,农村信用社,6230590000000000011,王建(配偶)${spouse}`,
    `冯国强,${good2},${township.name},${village.name},${village.name}3号,${township.urban_rural === 'urban' ? '城镇' : '农村'},低保,1,420.00,2023-11,农村信用社,6230590000000000022,`,
    `钱有福,${bad},${township.name},${village.name},${village.name}7号,${township.urban_rural === 'urban' ? '城镇' : '农村'},低保,1,420.00,2023-11,农村信用社,6230590000000000033,`,
  ];
  file = path.join(out, '低保台账.csv');
  fs.writeFileSync(file, '\ufeff' + rows.join('\r\n') + '\r\n');
  driver = await startApp();
  await signIn(driver, 'spr');
});
after(async () => {
  if (driver) await driver.quit();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Click an element after scrolling it to the middle of the window (WebKitWebDriver clicks the
 *  edge of a half-visible button without effect). */
async function press(css) {
  const el = await driver.findElement(By.css(css));
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', el);
  await el.click();
}

test('a ledger is previewed, checked, imported without its bad row, and not imported twice', async () => {
  await driver.findElement(By.css('#nav-more summary')).click();
  await driver.findElement(By.css('.mainnav a[data-path="/ledger-import"]')).click();
  const input = await visible(driver, '#ledger-path');
  await input.sendKeys(file, Key.ENTER);
  await visible(driver, '#ledger-mapping');
  await visible(driver, '#ledger-sample');
  // The check names the wrong ID number by row and column and writes nothing.
  await press('#ledger-check');
  const summary = await textOf(driver, '#ledger-summary', /校验完成/);
  assert.match(summary, /1 行有错误/);
  assert.match(summary, /2 行可以导入/);
  const error = await driver.findElement(By.css('#ledger-errors tbody tr')).getText();
  assert.match(error, /^4\s*B 身份证号/);
  assert.match(error, /校验位错误/);
  await screenshot(driver, 'ledger-checked', 'ledger-import.png');
  // Import the valid rows only.
  await press('#ledger-skip-invalid');
  await press('#ledger-import');
  assert.match(await textOf(driver, '#ledger-summary', /导入完成/), /已导入 2 户/);
  // The same file again: both rows are skipped, nothing is added.
  await press('#ledger-import');
  const again = await textOf(driver, '#ledger-summary', /2 行已导入过/);
  assert.doesNotMatch(again, /已导入 \d+ 户/);
  // The imported family is in the registry.
  await driver.findElement(By.css('.mainnav a[data-path="/households"]')).click();
  const search = await visible(driver, '#household-search, input[type=search]');
  await search.sendKeys('郑秀英', Key.ENTER);
  await textOf(driver, '.view-slot', /郑秀英/);
});
