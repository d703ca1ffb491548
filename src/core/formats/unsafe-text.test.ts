import { describe, expect, it } from 'vitest';
import { findUnsafeText, illegalCharacterIn, stripXmlIllegal, unsafeTextMessage } from './unsafe-text';

describe('findUnsafeText', () => {
  it('finds NUL and the other XML-illegal characters in nested values and keys, with the path', () => {
    expect(findUnsafeText({ a: 'ok', b: { c: ['x', 'y\u0000z'] } })).toEqual({ kind: 'illegal_character', path: 'b.c.1', codePoint: 0 });
    expect(findUnsafeText({ ['k\u0000']: 1 })).toMatchObject({ path: 'k\u0000' });
    expect(findUnsafeText('\u0000')).toMatchObject({ path: '' });
    expect(findUnsafeText({ description: 'esc \u001b[31m' })).toEqual({ kind: 'illegal_character', path: 'description', codePoint: 0x1b });
    expect(findUnsafeText({ d: 'a\u0001' })?.path).toBe('d');
    expect(findUnsafeText({ d: 'lone \ud800 half' })).toMatchObject({ codePoint: 0xd800 });
    expect(findUnsafeText({ d: 'lone \udc00 half' })).toMatchObject({ codePoint: 0xdc00 });
    expect(findUnsafeText({ d: '\ufffe' })).toMatchObject({ codePoint: 0xfffe });
  });

  it('reports the first problem in document order', () => {
    expect(findUnsafeText({ a: ['ok', 'x\u0002'], b: 'y\u0003' })?.path).toBe('a.1');
  });

  it('passes TAB, LF, CR, emoji (a surrogate pair), Chinese and the escaped text', () => {
    expect(findUnsafeText({ a: 'tab\there\r\n', b: '\\u0000', c: 3, d: null, e: [true], f: '井盖 😀' })).toBeNull();
  });

  it('walks 20,000 levels without recursion and refuses them past the cap', () => {
    const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000));
    expect(findUnsafeText(deep)).toMatchObject({ kind: 'too_deep', maxDepth: 64 });
    const fine = JSON.parse('['.repeat(30) + ']'.repeat(30));
    expect(findUnsafeText(fine)).toBeNull();
  });

  it('says where the character is, Chinese first', () => {
    expect(unsafeTextMessage({ kind: 'illegal_character', path: 'description', codePoint: 0 })).toMatch(/^description 含有.*U\+0000 \(NUL\).*description contains the character U\+0000/);
    expect(unsafeTextMessage({ kind: 'illegal_character', path: '', codePoint: 1 })).toMatch(/^请求体.*U\+0001.*the body contains/);
    expect(unsafeTextMessage({ kind: 'too_deep', path: 'a.0', maxDepth: 64 })).toMatch(/^a\.0 嵌套超过 64 层/);
  });
});

describe('stripXmlIllegal', () => {
  it('removes what XML forbids and keeps the rest', () => {
    expect(stripXmlIllegal('a\u0001b\u001bc\td\ne\uffff 😀')).toBe('abc\td\ne 😀');
    expect(stripXmlIllegal('clean')).toBe('clean');
    expect(illegalCharacterIn('clean')).toBeNull();
  });
});
