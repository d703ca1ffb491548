import * as pc from 'polyclip-ts';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { textValue } from '../formats/property-value';
import type { Unit } from '../district/district-schema';
import type { BuiltFeature } from './import-types';

/**
 * Partial hierarchies made whole (issue 15, "a real district in ten minutes"): a district starting
 * out has its streets and perhaps communities, rarely all three levels.
 *
 * - A missing lower level is made **provisional**: one community per street, one grid per
 *   community, each the shape of its parent, marked `provisional: true`, owned by the parent's
 *   unit; planners refine them in /plan with the editor.
 * - A missing upper level is **dissolved** from the level below: zones grouped by the parent the
 *   file names (its id, code or name), else by code prefix (the unit-grid idea of GB/T 30428.1:
 *   district 6 + street 3 + community 3 + serial), and each group unioned into its parent.
 * - **Units** from zone names when no unit list names them: 〈街道〉办事处 for a street, 〈镇/乡〉
 *   人民政府, 〈社区〉居民委员会, 〈村〉村民委员会 — editable afterwards.
 */

/** Zones one level down, one per parent, each the parent's shape, provisional. */
export function provisionalChildren(
  parents: readonly BuiltFeature[],
  childLayer: 'communities' | 'grids',
): BuiltFeature[] {
  const suffix = childLayer === 'communities' ? 'c' : 'g';
  const noun = childLayer === 'communities' ? '社区' : '网格';
  return parents.map((parent) => {
    const name = textValue(parent.properties.name) || parent.id;
    const code = textValue(parent.properties.code) || parent.id;
    const properties: Record<string, unknown> = {
      code: `${code}000`,
      name: `${stripProvisional(name)}${noun}（待细化）`,
      parentId: parent.id,
      ownerUnitId: parent.properties.ownerUnitId ?? null,
      provisional: true,
    };
    if (childLayer === 'grids') {
      properties.gridLeader = null;
      properties.gridWorkers = [];
    }
    return { type: 'Feature', id: `${parent.id}-${suffix}`, geometry: parent.geometry, properties };
  });
}

function stripProvisional(name: string): string {
  return name.replace(/（待细化）$/, '').replace(/(社区|网格)$/, '');
}

/** How the zones of a level group into parents: by the parent their file names, else by code prefix. */
export interface DissolveGroup {
  key: string;
  /** Where the key came from: the file's parent attribute, or the code's prefix. */
  by: 'parent' | 'code';
  members: BuiltFeature[];
}

/**
 * Groups zones for dissolving into the level above: the parent key the file gave (an id, code or
 * name of a parent that does not exist yet), else the first `prefixLength` digits of a code of
 * digits longer than that; null when neither tells for every zone (then nothing is dissolved).
 */
export function groupForDissolve(zones: readonly { feature: BuiltFeature; parentKey?: string }[], prefixLength: number): DissolveGroup[] | null {
  if (zones.length === 0) return null;
  const groups = new Map<string, DissolveGroup>();
  for (const { feature, parentKey } of zones) {
    const code = textValue(feature.properties.code);
    let key: string;
    let by: DissolveGroup['by'];
    if (parentKey) {
      key = parentKey;
      by = 'parent';
    } else if (/^\d+$/.test(code) && code.length > prefixLength) {
      key = code.slice(0, prefixLength);
      by = 'code';
    } else return null;
    const group = groups.get(key) ?? { key, by, members: [] };
    group.members.push(feature);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Parents dissolved from groups of children: each the union of its members' shapes; id and code
 * from the key (a code prefix stays the code; a parent named by name gets its name), provisional
 * names when only a code is known. Sets each member's parentId. `layer` is the parents' layer.
 */
export function dissolveParents(groups: readonly DissolveGroup[], layer: 'streets' | 'communities', idPrefix: string): BuiltFeature[] {
  const noun = layer === 'streets' ? '街道' : '社区';
  return groups.map((group, i) => {
    const id = `${idPrefix}${group.by === 'code' ? group.key : String(i + 1).padStart(3, '0')}`;
    for (const member of group.members) member.properties.parentId = id;
    const parts = group.members.map((m) => coordinatesOf(m.geometry)).filter((c): c is pc.Geom => c !== null);
    let union: number[][][][] = [];
    try {
      union = parts.length ? (pc.union(parts[0], ...parts.slice(1)) as number[][][][]) : [];
    } catch {
      union = parts.flatMap((p) => (isMulti(p) ? (p as number[][][][]) : [p as number[][][]]));
    }
    const geometry: AreaGeometry =
      union.length === 1 ? { type: 'Polygon', coordinates: union[0] as [number, number][][] } : { type: 'MultiPolygon', coordinates: union as [number, number][][][] };
    const named = group.by === 'parent' && !/^\d+$/.test(group.key);
    return {
      type: 'Feature',
      id,
      geometry,
      properties: {
        code: group.by === 'code' ? group.key : id,
        name: named ? group.key : `${noun} ${group.key}（待细化）`,
        parentId: layer === 'streets' ? null : '',
        ownerUnitId: null,
        ...(named ? {} : { provisional: true }),
      },
    };
  });
}

function coordinatesOf(g: unknown): pc.Geom | null {
  const geometry = g as { type?: string; coordinates?: unknown } | null;
  if (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon') return geometry.coordinates as pc.Geom;
  return null;
}

function isMulti(g: pc.Geom): boolean {
  return Array.isArray(g[0]?.[0]?.[0]);
}

/** The unit a zone's name implies: its kind and name (街道 → 街道办事处, 社区 → 居民委员会…). */
export function unitForZone(layer: 'streets' | 'communities', zoneName: string): { name: string; kind: Unit['kind'] } {
  const name = zoneName.trim();
  if (layer === 'streets') {
    if (/街道$/.test(name)) return { name: `${name}办事处`, kind: 'street_office' };
    if (/(镇|乡)$/.test(name)) return { name: `${name}人民政府`, kind: 'street_office' };
    return { name: `${name}办事处`, kind: 'street_office' };
  }
  if (/村$/.test(name)) return { name: `${name}民委员会`, kind: 'community_committee' };
  if (/社区$/.test(name)) return { name: `${name}居民委员会`, kind: 'community_committee' };
  return { name: `${name}居民委员会`, kind: 'community_committee' };
}
