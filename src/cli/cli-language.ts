/**
 * How the `dutymap` command speaks. Reports follow the locale (Chinese unless LANG, LC_ALL or
 * LC_MESSAGES starts with "en"); errors always lead with Chinese and keep the English after it, in
 * parentheses, for logs, issue reports and readers of either language.
 */

/** The reports' language: English when LC_ALL, LC_MESSAGES or LANG starts with "en", else Chinese. */
export function languageOf(env: NodeJS.ProcessEnv): 'zh' | 'en' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en/i.test(locale) ? 'en' : 'zh';
}

/** An error a person can act on: "中文说明 (the English)". */
export function cliError(zh: string, en: string): Error {
  return new Error(`${zh} (${en})`);
}

const HAS_CHINESE = /[\u3400-\u9fff]/;

/**
 * The line the CLI prints for a failed command. Messages from deeper layers (a library, the
 * importer's readers) that carry no Chinese get a Chinese lead, so the first words are always
 * readable to the district's staff.
 */
export function failureLine(command: string | undefined, message: string): string {
  const text = HAS_CHINESE.test(message) ? message : `命令未完成：${message}`;
  return `dutymap ${command ?? ''}: ${text}`.replace(/ {2}/g, ' ');
}

/**
 * The picker for a command's own lines (progress, summaries, usage): `say('中文', 'English')`
 * gives the one in the reports' language. Errors use cliError instead: both languages, always.
 */
export function speaker(lang: 'zh' | 'en'): (zh: string, en: string) => string {
  return (zh, en) => (lang === 'en' ? en : zh);
}
