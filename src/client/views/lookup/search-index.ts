import type { LayerParam } from '../../../core/api/api-schema';
import type { Unit } from '../../../core/district/district-schema';
import { featureLabel } from '../../../core/assignment/suggest-owners';
import type { NameKeys } from '../../../core/formats/name-search';
import { interiorPoint } from '../../../core/geometry/interior-point';
import type { LayerCollection, LayerFeature } from '../../map/map-data';

/** One search hit: a feature (or a unit, placed at the first zone it owns) and where to go. */
export interface SearchHit {
  kind: LayerParam | 'unit';
  id: string;
  name: string;
  code: string | null;
  point: [number, number];
}

/** A representative point of a feature: the point itself, a point inside an area, a line's middle vertex. */
export function featurePoint(feature: LayerFeature): [number, number] | null {
  const g = feature.geometry as { type: string; coordinates: unknown };
  switch (g.type) {
    case 'Point':
      return g.coordinates as [number, number];
    case 'LineString': {
      const line = g.coordinates as [number, number][];
      return line[Math.floor(line.length / 2)] ?? null;
    }
    case 'MultiLineString': {
      const line = (g.coordinates as [number, number][][])[0] ?? [];
      return line[Math.floor(line.length / 2)] ?? null;
    }
    case 'Polygon':
    case 'MultiPolygon':
      return interiorPoint(g as Parameters<typeof interiorPoint>[0]);
    default:
      return null;
  }
}

const ORDER: LayerParam[] = ['streets', 'communities', 'grids', 'roads', 'checkpoints'];

/** The name search (core/formats/name-search), passed in once its pinyin dictionary has loaded. */
export type NameSearch = Pick<typeof import('../../../core/formats/name-search'), 'nameKeys' | 'matchName'>;

const keyCache = new Map<string, NameKeys>();

/**
 * Finds features and units by name or code, best first: exact code; then the name exactly, at
 * its start, anywhere; with `nameSearch`, then by full pinyin, by initials and with one wrong
 * character; coarser layers before finer ones. Roads are named with their segment ("江汉大道
 * （区界至章华路）"), so same-named segments are told apart. Without `nameSearch` (still loading)
 * only the plain name and code match.
 */
export function searchPlaces(
  query: string,
  geometry: Partial<Record<LayerParam, LayerCollection>>,
  units: readonly Unit[],
  limit = 8,
  nameSearch?: NameSearch,
): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const scored: { hit: SearchHit; score: number }[] = [];
  const score = (name: string, code: string | null, rank: number): number | null => {
    const n = name.toLowerCase();
    const c = code?.toLowerCase() ?? '';
    if (c === q) return rank;
    if (n === q) return 10 + rank;
    if (n.startsWith(q)) return 20 + rank;
    if (n.includes(q) || (c && c.includes(q))) return 30 + rank;
    if (!nameSearch) return null;
    let keys = keyCache.get(name);
    if (!keys) keyCache.set(name, (keys = nameSearch.nameKeys(name)));
    const match = nameSearch.matchName(q, keys);
    return match === null ? null : 10 * (match + 1) + rank;
  };
  ORDER.forEach((layer, rank) => {
    for (const feature of geometry[layer]?.features ?? []) {
      const name = layer === 'roads' ? featureLabel(feature as Parameters<typeof featureLabel>[0]) : String(feature.properties.name ?? '');
      const code = feature.properties.code === undefined ? null : String(feature.properties.code);
      const s = score(name, code, rank);
      if (s === null) continue;
      const point = featurePoint(feature);
      if (point) scored.push({ hit: { kind: layer, id: feature.id, name, code, point }, score: s });
    }
  });
  for (const unit of units) {
    const s = score(unit.name, unit.id, ORDER.length);
    if (s === null) continue;
    const owned = ORDER.flatMap((layer) => geometry[layer]?.features ?? []).find((f) => f.properties.ownerUnitId === unit.id);
    const point = owned ? featurePoint(owned) : null;
    if (point) scored.push({ hit: { kind: 'unit', id: unit.id, name: unit.name, code: null, point }, score: s });
  }
  scored.sort((a, b) => a.score - b.score || a.hit.name.localeCompare(b.hit.name, 'zh-CN'));
  return varied(scored, limit).map((s) => s.hit);
}

/** Hits of one kind in the first pass of `varied`: "zhanghua" shows 章华社区, a few of its grids and 章华路, not eight grids. */
const PER_KIND_FIRST = 3;

/**
 * The best `limit` hits, but at most PER_KIND_FIRST of one kind while hits of other kinds wait
 * (a community's name begins each of its grids' names, so they all match as well as it does);
 * the slots left are filled in score order. The result stays in score order.
 */
function varied<T extends { hit: SearchHit }>(sorted: T[], limit: number): T[] {
  if (sorted.length <= limit) return sorted;
  const perKind = new Map<string, number>();
  const chosen = new Set<T>();
  for (const s of sorted) {
    if (chosen.size === limit) break;
    const n = perKind.get(s.hit.kind) ?? 0;
    if (n < PER_KIND_FIRST) {
      perKind.set(s.hit.kind, n + 1);
      chosen.add(s);
    }
  }
  for (const s of sorted) {
    if (chosen.size === limit) break;
    chosen.add(s);
  }
  return sorted.filter((s) => chosen.has(s));
}
