import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages-en';
import { zhCN, type MessageKey } from './messages-zh';

/** The languages of the UI: Simplified Chinese first, English second. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'dutymap.lang';

/** Fills `{name}` placeholders; an unknown placeholder is left as written so a missing value shows. */
export function formatMessage(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message of `key` in `lang`, formatted. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return formatMessage(CATALOGUES[lang][key], params);
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
