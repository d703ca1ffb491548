import { useEffect, useState } from 'react';

type NameSearch = typeof import('../../../core/formats/name-search');
/** Items matching a query, best first. */
export interface NameIndex<T> {
  search(query: string, limit?: number): T[];
}

let loading: Promise<NameSearch> | null = null;
/** The name search module with its pinyin dictionary, loaded once on first use (its own chunk). */
function loadNameSearch(): Promise<NameSearch> {
  loading ??= import('../../../core/formats/name-search');
  return loading;
}

/**
 * A name index (characters, full pinyin, initials, one wrong character: core/formats/name-search)
 * over `items`, rebuilt when they change; null until the pinyin dictionary has loaded.
 */
export function useNameIndex<T>(items: readonly T[], nameOf: (item: T) => string, rank?: (item: T) => number): NameIndex<T> | null {
  const [index, setIndex] = useState<NameIndex<T> | null>(null);
  useEffect(() => {
    let live = true;
    void loadNameSearch().then((m) => {
      if (live) setIndex(m.buildNameIndex(items, nameOf, rank));
    });
    return () => {
      live = false;
    };
  }, [items]); // eslint-disable-line react-hooks/exhaustive-deps
  return index;
}

/**
 * The name search module itself (for callers with their own scoring), null until loaded. Loading
 * starts once `wanted` is true: the lookup asks for it when the search box is first focused, so
 * the 140 KB pinyin dictionary does not compete with the map's first paint.
 */
export function useNameSearch(wanted = true): NameSearch | null {
  const [module, setModule] = useState<NameSearch | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void loadNameSearch().then((m) => {
      if (live) setModule(m);
    });
    return () => {
      live = false;
    };
  }, [wanted]);
  return module;
}
