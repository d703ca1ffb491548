import { describe, expect, it } from 'vitest';
import { etagMatches, versionFromIfMatch } from './http-cache';

describe('etagMatches', () => {
  it('matches exact, weak, listed and * tags', () => {
    expect(etagMatches('"a-1"', '"a-1"')).toBe(true);
    expect(etagMatches('W/"a-1"', '"a-1"')).toBe(true);
    expect(etagMatches('"x", "a-1"', '"a-1"')).toBe(true);
    expect(etagMatches('*', '"a-1"')).toBe(true);
    expect(etagMatches('"a-2"', '"a-1"')).toBe(false);
    expect(etagMatches(undefined, '"a-1"')).toBe(false);
  });
});

describe('versionFromIfMatch', () => {
  it('reads "3", W/"3" and 3; null when absent; NaN when not a version', () => {
    expect(versionFromIfMatch('"3"')).toBe(3);
    expect(versionFromIfMatch('W/"3"')).toBe(3);
    expect(versionFromIfMatch('3')).toBe(3);
    expect(versionFromIfMatch(undefined)).toBeNull();
    expect(versionFromIfMatch('  ')).toBeNull();
    expect(versionFromIfMatch('"abc"')).toBeNaN();
  });
});
