import { pinyin } from 'pinyin-pro';

/**
 * Searching Chinese names the way people type them on a phone: the characters (even with one
 * wrong), the full pinyin without tones ("zhanghua" finds 章华路) or the initials ("zhl", "cbjd"
 * finds 城北街道). Pinyin comes from pinyin-pro; everything else is plain string work.
 */

/** The search keys of one name, built once (building needs the pinyin dictionary; matching does not). */
export interface NameKeys {
  /** The name in lower case. */
  lower: string;
  /** Full pinyin without tones or spaces; other characters kept, lower case ("zhanghualu（…"). */
  pinyin: string;
  /** First letter of each syllable; other characters kept, lower case ("zhl"). */
  initials: string;
}

/** How well a query matched; lower is better. */
export const MATCH = { exact: 0, prefix: 1, contains: 2, pinyinPrefix: 3, pinyin: 4, initialsPrefix: 5, initials: 6, fuzzyPrefix: 7, fuzzy: 8 } as const;

/** The keys of `name` (pinyin of Chinese characters; Latin letters and digits kept as they are). */
export function nameKeys(name: string): NameKeys {
  const lower = name.toLowerCase();
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
  const firsts = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
  return { lower, pinyin: syllables.join('').toLowerCase(), initials: firsts.join('').toLowerCase() };
}

const LATIN = /^[a-z0-9]+$/;

/**
 * How `query` matches the name behind `keys`, or null. Case-insensitive; spaces in the query are
 * ignored for pinyin. In order: the whole name, a prefix, anywhere in the name; for a query of
 * Latin letters (2 or more), the full pinyin's start, anywhere in it, the initials' start, anywhere
 * in them (so "zhanghualu" puts 章华路 before 岑河路（章华路至创业路）); for a query of 3
 * or more characters, the name containing it with one character wrong, missing or extra (at its
 * start before inside it).
 */
export function matchName(query: string, keys: NameKeys): number | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  if (keys.lower === q) return MATCH.exact;
  if (keys.lower.startsWith(q)) return MATCH.prefix;
  if (keys.lower.includes(q)) return MATCH.contains;
  const compact = q.replace(/\s+/g, '');
  if (compact.length >= 2 && LATIN.test(compact)) {
    if (keys.pinyin.startsWith(compact)) return MATCH.pinyinPrefix;
    if (keys.pinyin.includes(compact)) return MATCH.pinyin;
    if (keys.initials.startsWith(compact)) return MATCH.initialsPrefix;
    if (keys.initials.includes(compact)) return MATCH.initials;
  }
  const chars = [...q];
  if (chars.length >= 3 && withinOneEdit(q, keys.lower)) {
    // At the name's start (its first |q| + 1 characters) before inside it: 章化路 → 章华路 before 岑河路（章华路至…）.
    return withinOneEdit(q, [...keys.lower].slice(0, chars.length + 1).join('')) ? MATCH.fuzzyPrefix : MATCH.fuzzy;
  }
  return null;
}

/**
 * Whether some substring of `text` is at most one edit (substitution, insertion, deletion) away
 * from `pattern`: approximate substring matching (Sellers), O(|pattern| × |text|), by code point.
 */
export function withinOneEdit(pattern: string, text: string): boolean {
  const p = [...pattern];
  const t = [...text];
  const m = p.length;
  // prev[i]: least edits to match p[0..i) ending at the previous text position (a match may start anywhere).
  let prev = Array.from({ length: m + 1 }, (_, i) => i);
  if (prev[m] <= 1) return true;
  for (let j = 0; j < t.length; j++) {
    const next = new Array<number>(m + 1);
    next[0] = 0;
    for (let i = 1; i <= m; i++) {
      next[i] = Math.min(prev[i - 1] + (p[i - 1] === t[j] ? 0 : 1), prev[i] + 1, next[i - 1] + 1);
    }
    if (next[m] <= 1) return true;
    prev = next;
  }
  return false;
}

/**
 * An index over named items: keys built once, queried per keystroke. `search` returns the items
 * that match, best first (match quality, then the caller's `rank`, then name), at most `limit`.
 */
export function buildNameIndex<T>(items: readonly T[], nameOf: (item: T) => string, rank: (item: T) => number = () => 0) {
  const entries = items.map((item) => ({ item, name: nameOf(item), keys: nameKeys(nameOf(item)), rank: rank(item) }));
  return {
    search(query: string, limit = 8): T[] {
      const found: { item: T; name: string; score: number; rank: number }[] = [];
      for (const e of entries) {
        const score = matchName(query, e.keys);
        if (score !== null) found.push({ item: e.item, name: e.name, score, rank: e.rank });
      }
      found.sort((a, b) => a.score - b.score || a.rank - b.rank || a.name.localeCompare(b.name, 'zh-CN'));
      return found.slice(0, limit).map((f) => f.item);
    },
  };
}
