/**
 * The password policy, after NIST SP 800-63B (§5.1.1.2, memorized secrets): a length range and a
 * list of passwords known to be common, and no composition rules (no "one digit and one capital"),
 * which make passwords harder to remember and no harder to guess. Every password a person sets —
 * through the API, on the command line or in a district folder's users.json in production — passes
 * through checkNewPassword.
 *
 * Refused:
 * - shorter than PASSWORD_MIN_LENGTH (10; NIST's floor is 8) or longer than PASSWORD_MAX_LENGTH
 *   (200) characters, counted in Unicode code points after NFKC normalisation (any character is
 *   allowed, spaces and Chinese included);
 * - in the common-password list: the 49,233 passwords of @zxcvbn-ts/language-common (a
 *   maintained package; from breach corpora) plus common-passwords-zh.txt beside this file
 *   (patterns common among Chinese users, with its sources), compared case-insensitively;
 * - the demo passwords (`<role>-demo`), in every mode;
 * - one short unit repeated (`aaaaaaaaaa`, `1212121212`, `abcabcabca`) or a straight run
 *   (`0123456789`, `abcdefghij`, `9876543210`);
 * - the user name or the app's own words (dutymap, chuangcheng, …) with only digits or symbols
 *   around them (`zhangsan123456`, `dutymap2026!`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../core/api/user-schema';
import { ROLES } from '../../core/api/api-schema';

/** Why a new password was refused (null: accepted). */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'demo' | 'repetitive' | 'sequential' | 'context';

/** The demo accounts' passwords (`<role>-demo`): never accepted as a new password, and refused at sign-in in production. */
export const DEMO_PASSWORDS: ReadonlySet<string> = new Set(ROLES.map((role) => `${role}-demo`));

/** Words of this app and its domain that make a password guessable for anyone who knows where it is used. */
const CONTEXT_WORDS = ['dutymap', 'chuangcheng', 'chuangwen', 'chuangwei', 'wenming', 'wangge', 'luzhang', '创城', '创文', '创卫', '网格', '路长'];

let commonPasswords: Promise<ReadonlySet<string>> | null = null;

/** The common-password list, loaded on first use (about 0.15 s) and kept. */
function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => {
    const set = new Set<string>();
    for (const word of dictionary['passwords-common'] as (string | number)[]) set.add(normalize(String(word)));
    const zh = readFileSync(join(import.meta.dirname, 'common-passwords-zh.txt'), 'utf8');
    for (const line of zh.split('\n')) {
      const word = line.trim();
      if (word && !word.startsWith('#')) set.add(normalize(word));
    }
    return set;
  });
  return commonPasswords;
}

const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

/** True when the text is one unit of 1–4 characters repeated (`aaaa…`, `1212…`, `abcabc…`). */
function isRepetitive(chars: readonly string[]): boolean {
  for (let unit = 1; unit <= 4 && unit < chars.length; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/**
 * True when every character's code is the previous one's plus 1, or every one's minus 1; digits
 * count round the keyboard's row (`7890123456`).
 */
function isSequential(chars: readonly string[]): boolean {
  const digits = chars.every((c) => c >= '0' && c <= '9');
  const codes = chars.map((c) => c.codePointAt(0)!);
  const stepOf = (i: number) => (digits ? (((codes[i]! - codes[i - 1]!) % 10) + 10) % 10 : codes[i]! - codes[i - 1]!);
  const step = stepOf(1);
  if (digits ? step !== 1 && step !== 9 : step !== 1 && step !== -1) return false;
  return codes.every((_, i) => i === 0 || stepOf(i) === step);
}

/** True when removing the user name and the app's words leaves no letters (only digits, symbols, spaces). */
function isContextual(lowered: string, username: string | undefined): boolean {
  const words = [...CONTEXT_WORDS];
  if (username && username.length >= 3) words.push(normalize(username));
  let rest = lowered;
  let found = false;
  for (const word of words) {
    if (rest.includes(word)) {
      found = true;
      rest = rest.replaceAll(word, '');
    }
  }
  return found && !/\p{L}/u.test(rest);
}

/**
 * Checks a password someone wants to set against the policy (see the file comment). `username`
 * is the account's name, for the context rule. Returns the first problem, or null when the
 * password is accepted. The first call loads the common-password list.
 */
export async function checkNewPassword(password: string, username?: string): Promise<PasswordProblem | null> {
  const lowered = normalize(password);
  const chars = [...lowered];
  if (chars.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (chars.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (DEMO_PASSWORDS.has(lowered)) return 'demo';
  if ((await loadCommonPasswords()).has(lowered)) return 'common';
  if (isRepetitive(chars)) return 'repetitive';
  if (isSequential(chars)) return 'sequential';
  if (isContextual(lowered, username)) return 'context';
  return null;
}

/** What a person reads when their password is refused: Chinese first, then English. */
export function passwordProblemMessage(problem: PasswordProblem): string {
  switch (problem) {
    case 'too_short':
      return `密码至少 ${PASSWORD_MIN_LENGTH} 个字符；可以用一句好记的话，空格和中文都可以（a password has at least ${PASSWORD_MIN_LENGTH} characters; a memorable phrase works, spaces and Chinese included）`;
    case 'too_long':
      return `密码最多 ${PASSWORD_MAX_LENGTH} 个字符（a password has at most ${PASSWORD_MAX_LENGTH} characters）`;
    case 'common':
      return '这个密码在常见密码名单中，很容易被猜中，请换一个（this password is on the list of common passwords and easily guessed; choose another）';
    case 'demo':
      return '演示账号的密码不能使用（the demo accounts’ passwords cannot be used）';
    case 'repetitive':
      return '密码不能只是重复的字符，如 aaaaaaaaaa、1212121212（a password cannot be one short pattern repeated）';
    case 'sequential':
      return '密码不能是连续的字符，如 0123456789、abcdefghij（a password cannot be a straight run of characters）';
    case 'context':
      return '密码不能只是用户名或本系统的名称加数字（a password cannot be the user name or this app’s name with digits around it）';
  }
}
