import { describe, expect, it } from 'vitest';
import { formatMessage, translate } from './i18n';
import { en } from './messages-en';
import { zhCN, type MessageKey } from './messages-zh';

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(formatMessage('{a} 和 {b}', { a: 1 })).toBe('1 和 {b}');
    expect(formatMessage('no params {x}')).toBe('no params {x}');
  });

  it('picks the English plural form with Intl.PluralRules, # being the number', () => {
    const template = '{count, plural, =0 {no changes} one {# change} other {# changes}}';
    expect([0, 1, 2, 21].map((count) => formatMessage(template, { count }, 'en'))).toEqual(['no changes', '1 change', '2 changes', '21 changes']);
    // Written decimals are plural in English ("1.0 points"), whole ones by their value.
    expect(formatMessage('{p, plural, one {# point} other {# points}}', { p: '1.0' }, 'en')).toBe('1.0 points');
    expect(formatMessage('{p, plural, one {# point} other {# points}}', { p: '1' }, 'en')).toBe('1 point');
  });

  it('formats placeholders inside the chosen branch, and several plurals in one message', () => {
    expect(translate('en', 'plan.notice.saved', { issues: 1, checkpoints: 3 })).toBe('Saved: 1 issue reassigned, 3 checkpoints changed owner.');
    expect(translate('en', 'plan.notice.childrenFollowed', { count: 2, layer: 'Grids' })).toBe(' 2 Grids now belong to the zone that holds them.');
    expect(translate('en', 'plan.changes', { count: 1 })).toBe('1 change');
    expect(translate('zh-CN', 'plan.changes', { count: 1 })).toBe('1 处改动');
  });

  it('leaves no brace or # in any message, in either language, for 0, 1 and 2', () => {
    for (const catalogue of [zhCN, en] as Record<MessageKey, string>[]) {
      for (const [key, template] of Object.entries(catalogue)) {
        const names = [...template.matchAll(/\{\s*(\w+)/g)].map((m) => m[1]);
        for (const n of [0, 1, 2]) {
          const text = formatMessage(template, Object.fromEntries(names.map((name) => [name, n])), catalogue === en ? 'en' : 'zh-CN');
          expect(text, key).not.toMatch(/[{}]/);
          if (template.includes('plural')) expect(text, key).not.toContain('#');
        }
      }
    }
  });
});
