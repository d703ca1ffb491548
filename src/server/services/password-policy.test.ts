import { describe, expect, it } from 'vitest';
import { checkNewPassword, passwordProblemMessage } from './password-policy';

describe('the password policy (NIST SP 800-63B)', () => {
  it('accepts long passwords of any characters, with no composition rules', async () => {
    for (const password of ['correct horse', 'a quiet river at dawn', '我们的街道干净又整洁', 'lowercaseonlyletters', 'Tr0ub4dor&3x', '东湖 grid 7 巡查']) {
      expect(await checkNewPassword(password, 'zhangsan'), password).toBeNull();
    }
  });

  it('counts characters (code points), not bytes or UTF-16 units, between 10 and 200', async () => {
    expect(await checkNewPassword('short1234')).toBe('too_short');
    expect(await checkNewPassword('创城责任一张图密码')).toBe('too_short'); // 9 characters
    expect(await checkNewPassword('创城责任一张图的密码')).toBeNull(); // 10
    expect(await checkNewPassword('🙂🙂🙂🙂🙂')).toBe('too_short'); // 10 UTF-16 units, 5 characters
    expect(await checkNewPassword('x'.repeat(199) + 'y')).toBeNull();
    expect(await checkNewPassword('x'.repeat(200) + 'y')).toBe('too_long');
  });

  it('refuses common passwords, English and Chinese, in any case', async () => {
    for (const password of ['qwertyuiop', 'QWERTYUIOP', '1qaz2wsx3edc', 'password123', '123456789a', 'woaini1314', 'Woaini5201314', 'zhang123456', 'qq123456789', 'chuangcheng123']) {
      expect(await checkNewPassword(password), password).toBe('common');
    }
  });

  it('refuses the demo passwords, repeated units, straight runs and the user name or the app name with digits', async () => {
    expect(await checkNewPassword('admin-demo')).toBe('demo');
    expect(await checkNewPassword('planner-demo')).toBe('demo');
    expect(await checkNewPassword('zzzzzzzzzzzz')).toBe('repetitive');
    expect(await checkNewPassword('abcabcabcabc')).toBe('repetitive');
    expect(await checkNewPassword('9x9x9x9x9x9x')).toBe('repetitive');
    expect(await checkNewPassword('abcdefghijklm')).toBe('sequential');
    expect(await checkNewPassword('98765432109')).toBe('sequential');
    expect(await checkNewPassword('7890123456')).toBe('sequential');
    expect(await checkNewPassword('lisiguang2026!', 'lisiguang')).toBe('context');
    expect(await checkNewPassword('dutymap@2026', 'anyone')).toBe('context');
    expect(await checkNewPassword('lisiguang walks the grid', 'lisiguang')).toBeNull();
  });

  it('says what is wrong in Chinese first', () => {
    expect(passwordProblemMessage('too_short')).toMatch(/^密码至少 10 个字符/);
    expect(passwordProblemMessage('common')).toMatch(/^这个密码在常见密码名单中/);
  });
});
