import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageRun, stepText } from '../../../ui/views/temp-aid/temp-aid-page.js';

test('a timeline step in words', () => {
  assert.equal(
    stepText({ action: 'register', data: { description: '家中失火', requested_amount: '2000.00', repeat_of: ['LS2026-0001'] } }),
    '家中失火；申请金额 2000.00 元；同一事由已有案件 LS2026-0001',
  );
  assert.equal(
    stepText({ action: 'approve_township', data: { amount: '1800.00', stages: [
      { no: 1, month: '2026-11', amount: '600.00' }, { no: 2, month: '2026-12', amount: '1200.00' }] } }),
    '金额 1800.00 元；分阶段：2026-11 600.00 元，2026-12 1200.00 元',
  );
  assert.equal(stepText({ action: 'override_repeat', data: { reason: '再次住院' } }), '特批理由：再次住院');
  assert.equal(stepText({ action: 'pay_stage', data: { stage_no: 2 } }), '第 2 阶段');
  assert.equal(stepText({ action: 'pay_stage', data: { stage_no: 2, reason: '住院押金急需' } }), '第 2 阶段；提前发放理由：住院押金急需');
  assert.equal(stepText({ action: 'accept', data: {} }), '');
});

test('stages paid by a locked monthly run say so', () => {
  assert.equal(
    stepText({ action: 'paid_in_run', data: { month: '2026-11', stage_nos: [1], note: '第 1 阶段 300.00 元已在 2026-11 月度发放中支付' } }),
    '第 1 阶段 300.00 元已在 2026-11 月度发放中支付',
  );
  assert.equal(stageRun({ roster_month: '2026-11', paid_in_run: true }), '2026-11 月度发放已支付');
  assert.match(String(stageRun({ roster_month: '2026-12', paid_in_run: false })), /已列入 2026-12 花名册，待该月锁定/);
  assert.match(String(stageRun({ roster_month: null, paid_in_run: false })), /未发放/);
});
