import { describe, expect, it } from 'vitest';
import { buildNameIndex, MATCH, matchName, nameKeys, withinOneEdit } from './name-search';

describe('name search', () => {
  const keys = nameKeys('章华路');

  it('builds full pinyin and initials', () => {
    expect(keys).toEqual({ lower: '章华路', pinyin: 'zhanghualu', initials: 'zhl' });
    expect(nameKeys('城北街道办事处').initials).toBe('cbjdbsc');
    expect(nameKeys('G318国道').pinyin).toBe('g318guodao');
  });

  it('matches characters, full pinyin, initials and one wrong character', () => {
    expect(matchName('章华路', keys)).toBe(MATCH.exact);
    expect(matchName('章华', keys)).toBe(MATCH.prefix);
    expect(matchName('华路', keys)).toBe(MATCH.contains);
    expect(matchName('zhanghua', keys)).toBe(MATCH.pinyinPrefix);
    expect(matchName('Zhang Hua', keys)).toBe(MATCH.pinyinPrefix);
    expect(matchName('hualu', keys)).toBe(MATCH.pinyin);
    expect(matchName('zhl', keys)).toBe(MATCH.initialsPrefix);
    expect(matchName('hl', keys)).toBe(MATCH.initials);
    // A name that starts with the road comes before one that only mentions it.
    expect(matchName('zhanghualu', nameKeys('章华路（区界至城南街）'))!).toBeLessThan(matchName('zhanghualu', nameKeys('岑河路（章华路至创业路）'))!);
    expect(matchName('章化路', keys)).toBe(MATCH.fuzzyPrefix); // a wrong character
    expect(matchName('章华大路', keys)).toBe(MATCH.fuzzyPrefix); // an extra one
    expect(matchName('章化路', nameKeys('岑河路（章华路至创业路）'))).toBe(MATCH.fuzzy); // inside the name
    expect(matchName('江汉路', keys)).toBeNull(); // two wrong
    expect(matchName('z', keys)).toBeNull(); // one letter says nothing
    expect(matchName('章x', keys)).toBeNull(); // two characters: no fuzzy match
    expect(matchName('  ', keys)).toBeNull();
  });

  it('finds a pattern one edit away anywhere in a longer text', () => {
    expect(withinOneEdit('章化路', '江汉区章华路三巷')).toBe(true);
    expect(withinOneEdit('荆州大道', '荆洲大道（区界至江汉路）')).toBe(true);
    expect(withinOneEdit('荆州大道', '荆州路')).toBe(false);
  });

  it('ranks better matches first, then the caller rank, then name', () => {
    const index = buildNameIndex(['章华路', '章华社区', '华章路', '城北街道'], (s) => s, (s) => (s.endsWith('社区') ? 0 : 1));
    expect(index.search('章华')).toEqual(['章华社区', '章华路']);
    expect(index.search('zh')).toEqual(['章华社区', '章华路', '华章路']); // pinyin at the start before pinyin inside
    expect(index.search('lu')).toEqual(['华章路', '章华路']); // same quality and rank: by name (华 hua before 章 zhang)
    expect(index.search('cbjd')).toEqual(['城北街道']);
    expect(index.search('章华', 1)).toEqual(['章华社区']);
  });
});
