import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinPath } from '../../../ui/components/documents/documents.js';

test('a file name joins the folder with its own separator', () => {
  assert.equal(joinPath('/home/jbr/文档/兜底', 'a.pdf'), '/home/jbr/文档/兜底/a.pdf');
  assert.equal(joinPath('C:\\Users\\jbr\\Documents\\兜底', 'a.pdf'), 'C:\\Users\\jbr\\Documents\\兜底\\a.pdf');
  assert.equal(joinPath('/tmp/', 'a.pdf'), '/tmp/a.pdf');
});
