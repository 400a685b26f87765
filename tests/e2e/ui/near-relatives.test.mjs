// 近亲属备案: the relative's ID is masked as the core masks it, the search finds a filing by any
// name or by the ID's digits, and the area choice is the user's township and its villages only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskId, filingMatches, areaOptions } from '../../../ui/views/near-relatives/near-relatives.js';

test('an ID shows its first and last four characters only', () => {
  assert.equal(maskId('410122197203050226'), '4101**********0226');
  assert.equal(maskId('11010519491231002X'), '1101**********002X');
  assert.equal(maskId('1234'), '****');
  assert.equal(maskId(null), '');
});

const filing = {
  staff_name: '孙调查', staff_post: '乡镇经办人', area_name: '城关镇', relative_name: '李梅',
  relation: '兄弟姐妹', relative_id_number: '41012219720305022X',
};

test('a filing is found by staff, relative, post, area, relation or ID digits', () => {
  for (const q of ['', '  ', '孙', '李梅', '经办', '城关', '兄弟', '19720305', '022x']) {
    assert.equal(filingMatches(filing, q), true, q);
  }
  for (const q of ['王', '村委会', '410122198']) assert.equal(filingMatches(filing, q), false, q);
});

const areas = [
  { id: 1, level: 'county', parent_id: null, name: '示例县' },
  { id: 2, level: 'township', parent_id: 1, name: '城关镇' },
  { id: 3, level: 'village', parent_id: 2, name: '李庄村' },
  { id: 4, level: 'group', parent_id: 3, name: '一组' },
  { id: 5, level: 'township', parent_id: 1, name: '河口乡' },
  { id: 6, level: 'village', parent_id: 5, name: '河东村' },
  { id: 7, level: 'village', parent_id: 5, name: '旧村', active: false },
];

test('township staff choose their township and its villages; the county every one', () => {
  assert.deepEqual(areaOptions(areas, 5), [{ code: 5, label: '河口乡' }, { code: 6, label: '河口乡 · 河东村' }]);
  assert.deepEqual(areaOptions(areas, null).map((o) => o.code), [2, 3, 5, 6]);
});
