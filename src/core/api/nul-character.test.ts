import { describe, expect, it } from 'vitest';
import { findNulCharacter, nulCharacterMessage } from './nul-character';

describe('findNulCharacter', () => {
  it('finds NUL in nested values and keys, with the path', () => {
    expect(findNulCharacter({ a: 'ok', b: { c: ['x', 'y\u0000z'] } })).toBe('b.c.1');
    expect(findNulCharacter({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findNulCharacter('\u0000')).toBe('');
  });

  it('passes bodies without NUL, including other control characters and the escaped text', () => {
    expect(findNulCharacter({ a: 'tab\there', b: '\\u0000', c: 3, d: null, e: [true] })).toBeNull();
  });

  it('says where the character is', () => {
    expect(nulCharacterMessage('description')).toMatch(/^description contains the character U\+0000/);
    expect(nulCharacterMessage('')).toMatch(/^the body contains/);
  });
});
