// The first screen: setup on an empty database, sign-in, then 请设置新密码 while the password is
// one the administrator set (a reset or a new account's initial one), and only then the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstScreen } from '../../../ui/lib/session.js';

test('a password the administrator set leads to 请设置新密码 and nothing else', () => {
  const user = (must) => ({ id: 2, username: 'jbr1', must_change_password: must });
  const table = [
    [{ hasUsers: false, user: null }, 'setup'],
    [{ hasUsers: true, user: null }, 'signin'],
    [{ hasUsers: true, user: user(true) }, 'set_password'],
    [{ hasUsers: true, user: user(false) }, 'app'],
  ];
  for (const [s, want] of table) assert.equal(firstScreen(s), want, JSON.stringify(s));
});
