// 批量补贴 on the month page: what is sent for each kind (the rises in per cent as typed), and the
// reply in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grantInput, perPersonText } from '../../../ui/views/payments/grant.js';

test('a price subsidy sends the rises as typed, in per cent; a one-time grant sends whom', () => {
  assert.deepEqual(grantInput('2026-06', { kind: 'price_subsidy', cpi_rise: '3.6', food_rise: '', for: 'all' }),
    { month: '2026-06', kind: 'price_subsidy', cpi_rise: '3.6', food_rise: null });
  assert.deepEqual(grantInput('2026-06', { kind: 'one_time', cpi_rise: '', food_rise: '', for: 'tekun' }),
    { month: '2026-06', kind: 'one_time', for: 'tekun' });
});

test('the reply says what one person gets by programme and area', () => {
  const text = perPersonText({ month: '2026-06', label: '价格临时补贴',
    per_person: { dibao_rural: '24.00', dibao_urban: '31.00', tekun_rural: '24.00', tekun_urban: '31.00' } });
  assert.equal(text, '已登记 2026-06 价格临时补贴，每人：城市低保 31.00 元，农村低保 24.00 元，城市特困 31.00 元，农村特困 24.00 元');
});
