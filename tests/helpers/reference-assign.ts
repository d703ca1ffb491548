/**
 * The reference the fast engine must agree with: a plain loop over every feature with turf's own
 * predicates (booleanPointInPolygon, pointToLineDistance, distance) and no spatial index. With
 * `prefilter` (the default) each feature's bounding box is checked first, which changes no answer
 * and makes the 100,000-point agreement test affordable; the benchmark's baseline turns it off.
 */
import { bbox as turfBbox, booleanPointInPolygon, distance, pointToLineDistance } from '@turf/turf';
import type { AssignmentCandidate, AssignmentResult } from '../../src/core/assignment/assignment-schema';
import { rulesFor, type AssignmentPolicy } from '../../src/core/assignment/assignment-policy';
import type { DistrictGeometry } from '../../src/core/district/district-schema';

type Box = number[];
interface Prepared<F> {
  feature: F;
  box: Box;
}

/** Degrees of slack on bounding boxes: 0.0008° is > 75 m at these latitudes, beyond the 50 m and 25 m radii of the default policy. */
const SLACK = 0.0008;
const inBoxRaw = (b: Box, x: number, y: number, slack = 0) =>
  x >= b[0] - slack && x <= b[2] + slack && y >= b[1] - slack && y <= b[3] + slack;

export interface ReferenceEngine {
  /** Street, community and grid ids containing the point (the grid chain alone). */
  chain(point: [number, number]): { streetId: string | null; communityId: string | null; gridId: string | null };
  assign(point: [number, number], category: string): AssignmentResult;
}

export function buildReference(district: DistrictGeometry, policy: AssignmentPolicy, options: { prefilter?: boolean } = {}): ReferenceEngine {
  const prefilter = options.prefilter ?? true;
  const inBox = (b: Box, x: number, y: number, slack = 0) => !prefilter || inBoxRaw(b, x, y, slack);
  const prep = <F extends { geometry: GeoJSON.Geometry }>(features: F[]): Prepared<F>[] =>
    features.map((feature) => ({ feature, box: turfBbox(feature.geometry as never) }));
  const grids = prep(district.grids);
  const communities = prep(district.communities);
  const streets = prep(district.streets);
  const roads = prep(district.roads);
  const checkpoints = prep(district.checkpoints);
  const excluded = prep(district.excluded ?? []);
  const outline = district.outline?.[0] ?? null;
  const communityById = new Map(district.communities.map((c) => [c.id, c]));

  const containing = <F extends { id: string; geometry: GeoJSON.Geometry }>(list: Prepared<F>[], x: number, y: number) =>
    list
      .filter((p) => inBox(p.box, x, y) && booleanPointInPolygon([x, y], p.feature.geometry as never))
      .map((p) => p.feature)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const locate = (x: number, y: number) => {
    const grid = containing(grids, x, y)[0] ?? null;
    let community = grid ? communityById.get(grid.properties.parentId) ?? null : null;
    if (!community) community = containing(communities, x, y)[0] ?? null;
    const streetId = community?.properties.parentId ?? containing(streets, x, y)[0]?.id ?? null;
    return { grid, community, streetId };
  };

  return {
    chain([x, y]) {
      const { grid, community, streetId } = locate(x, y);
      return { streetId, communityId: community?.id ?? null, gridId: grid?.id ?? null };
    },
    assign([x, y], category) {
      const { grid, community, streetId } = locate(x, y);

      const candidates: AssignmentCandidate[] = [];
      let decided: AssignmentCandidate | null = null;
      let checkpointId: string | null = null;
      let roadId: string | null = null;
      for (const rule of rulesFor(policy, category)) {
        let found: AssignmentCandidate[] = [];
        if (rule.kind === 'checkpoint') {
          for (const { feature, box } of checkpoints) {
            if (!inBox(box, x, y, SLACK)) continue;
            const g = feature.geometry;
            const d = g.type === 'Point' ? distance([x, y], g.coordinates, { units: 'meters' }) : booleanPointInPolygon([x, y], g as never) ? 0 : Infinity;
            if (d <= (g.type === 'Point' ? rule.radiusM : 0)) found.push({ rule: 'checkpoint', featureId: feature.id, unitId: feature.properties.ownerUnitId, distanceM: d });
          }
        } else if (rule.kind === 'road') {
          for (const { feature, box } of roads) {
            if (!inBox(box, x, y, SLACK)) continue;
            const lines = feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
            const d = Math.min(...lines.map((line) => pointToLineDistance([x, y], line as never, { units: 'meters' })));
            if (d <= rule.radiusM) found.push({ rule: 'road', featureId: feature.id, unitId: feature.properties.ownerUnitId, distanceM: d });
          }
        } else if (rule.kind === 'grid' && grid) {
          found = containing(grids, x, y).map((g) => ({ rule: 'grid', featureId: g.id, unitId: g.properties.ownerUnitId, distanceM: 0 }));
        } else if (rule.kind === 'excluded') {
          found = containing(excluded, x, y).map((e) => ({ rule: 'excluded', featureId: e.id, unitId: e.properties.managingUnitId, distanceM: 0 }));
        }
        found.sort((a, b) => a.distanceM - b.distanceM || (a.featureId < b.featureId ? -1 : a.featureId > b.featureId ? 1 : 0));
        candidates.push(...found);
        const chosen = found.find((c) => c.unitId !== null) ?? null;
        const named = chosen ?? found[0] ?? null;
        if (rule.kind === 'checkpoint' && named) checkpointId = named.featureId;
        if (rule.kind === 'road' && named) roadId = named.featureId;
        const decisive = rule.kind === 'grid' ? found.find((c) => c.featureId === grid?.id && c.unitId) ?? null : chosen;
        if (!decided && decisive) decided = decisive;
      }
      const result: AssignmentResult = {
        rule: decided?.rule ?? 'office',
        unitId: decided?.unitId ?? null,
        streetId,
        communityId: community?.id ?? null,
        gridId: grid?.id ?? null,
        roadId,
        checkpointId,
        distanceM: decided?.distanceM ?? null,
        candidates,
      };
      const inExcluded = containing(excluded, x, y)[0];
      if (!streetId && !grid) {
        if (inExcluded) Object.assign(result, { place: 'excluded', excludedId: inExcluded.id });
        else result.place = outline && booleanPointInPolygon([x, y], outline.geometry as never) ? 'uncovered' : 'outside';
      } else if (inExcluded) result.excludedId = inExcluded.id;
      return result;
    },
  };
}

/** Grid ids, as the reference sees it, that contain the point (boundary included). */
export function gridsContaining(district: DistrictGeometry, point: [number, number]): string[] {
  return district.grids.filter((g) => booleanPointInPolygon(point, g.geometry as never)).map((g) => g.id);
}

