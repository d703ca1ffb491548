import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages-en';
import { zhCN, type MessageKey } from './messages-zh';

/** The languages of the UI: Simplified Chinese first, English second. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'dutymap.lang';

/**
 * Fills a message's placeholders: `{name}` takes the value of `name`, and
 * `{count, plural, one {# change} other {# changes}}` (ICU MessageFormat's plural, the part of it
 * the catalogues use) picks the branch `Intl.PluralRules` gives for the value in `lang` — an exact
 * `=0` branch first, `other` when the rule's category has no branch — with `#` standing for the
 * value. Chinese has no plural forms, so its messages never need the second kind. A placeholder
 * without a value is left as written, so that a missing value shows.
 */
export function formatMessage(template: string, params?: Record<string, string | number>, lang: Lang = 'zh-CN'): string {
  if (!params) return template;
  let out = '';
  let at = 0;
  for (;;) {
    const open = template.indexOf('{', at);
    const close = open < 0 ? -1 : closingBrace(template, open);
    if (close < 0) return out + template.slice(at);
    out += template.slice(at, open) + (formatArgument(template.slice(open + 1, close), params, lang) ?? template.slice(open, close + 1));
    at = close + 1;
  }
}

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** One `{…}`: a value, or a plural choice; null when it cannot be filled (left as written). */
function formatArgument(body: string, params: Record<string, string | number>, lang: Lang): string | null {
  const plain = /^\s*(\w+)\s*$/.exec(body);
  if (plain) return plain[1] in params ? String(params[plain[1]]) : null;
  const plural = /^\s*(\w+)\s*,\s*plural\s*,/.exec(body);
  if (!plural || !(plural[1] in params)) return null;
  const value = params[plural[1]];
  const branches = new Map<string, string>();
  const rest = body.slice(plural[0].length);
  const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/g;
  for (let m = selector.exec(rest); m; m = selector.exec(rest)) {
    const open = m.index + m[0].length - 1;
    const close = closingBrace(rest, open);
    if (close < 0) return null;
    branches.set(m[1], rest.slice(open + 1, close));
    selector.lastIndex = close + 1;
  }
  const n = Number(value);
  // "1.0" is plural in English: the rules look at the fraction digits as written.
  const fractionDigits = /\.(\d+)$/.exec(String(value))?.[1].length ?? 0;
  const category = new Intl.PluralRules(lang, { minimumFractionDigits: fractionDigits }).select(n);
  const branch = branches.get(`=${n}`) ?? branches.get(category) ?? branches.get('other');
  if (branch === undefined) return null;
  return formatMessage(branch.replace(/#/g, String(value)), params, lang);
}

/** The message of `key` in `lang`, formatted. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return formatMessage(CATALOGUES[lang][key], params, lang);
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Picks the label of a core catalogue entry ({ zh, en }) for the current language. */
  label: (entry: { zh: string; en: string } | undefined, fallback?: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** The language a visit starts in: `?lang=en` wins, then the last choice, then Chinese. */
export function initialLang(search = globalThis.location?.search ?? '', stored = safeStorageGet()): Lang {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh-CN') return fromUrl;
  return stored === 'en' ? 'en' : 'zh-CN';
}

function safeStorageGet(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage can be disabled (private mode, kiosk policies): fall back to Chinese
  }
}

/** Provides the language and `t()` to the tree. */
export function I18nProvider({ children, lang: fixedLang }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => fixedLang ?? initialLang());
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      /* storage disabled: the choice lasts for this visit only */
    }
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      label: (entry, fallback = '') => (entry ? (lang === 'en' ? entry.en : entry.zh) : fallback),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and message lookup; throws outside I18nProvider (a wiring bug). */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() needs an <I18nProvider> above it');
  return value;
}

export type { MessageKey };
