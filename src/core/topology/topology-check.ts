/**
 * core/topology — whether a district's zones are a valid map: rings (closed, simple, not
 * degenerate), siblings (no overlap, no gap inside the parent, nothing outside it), the streets'
 * outline, references (parents, owners, unique ids and codes) and the check of a proposed zone
 * edit against the stored district. Every finding is a TopologyProblem with a code, an area in m²
 * and a location a person can go to. Uses district and geometry.
 */
import { area } from '@turf/turf';
import { ZONE_LAYERS, type DistrictGeometry, type ZoneFeature, type ZoneLayerName } from '../district/district-schema';
import { CHILD_LAYER, PARENT_LAYER, checkReferences } from './reference-check';
import { checkLineGeometry, checkPointGeometry, checkRings } from './ring-check';
import { checkSiblingGroup } from './sibling-check';
import { prepareZone, type GapFinding, type ZoneEntry } from './zone-entry';
import { checkOutlineAndExcluded } from './outline-check';
import {
  LAYER_NOUN,
  formatArea,
  makeProblem,
  resolveTopologyOptions,
  sortProblems,
  type TopologyOptions,
  type TopologyProblem,
} from './topology-problem';
import { describeZone, gapProblem, outsideProblem, overlapProblem, tooSmallProblem } from './zone-problems';

export { TOPOLOGY_CODES, TOPOLOGY_CODE_LIST, DEFAULT_TOPOLOGY_OPTIONS } from './topology-problem';
export type { TopologyCode, TopologyLayer, TopologyOptions, TopologyProblem, TopologySeverity } from './topology-problem';

/**
 * Every topology and reference check of a district, as one sorted list of problems:
 *
 * - the rings of every street, community, grid and polygon checkpoint (checkRings); the lines of
 *   roads; point checkpoints' positions;
 * - ids unique per layer (and among units), codes unique per layer, parentId pointing at a zone of
 *   the layer above, ownerUnitId / officeUnitId pointing at a unit, no blank names;
 * - zones smaller than `minZoneAreaM2` (default 100 m²);
 * - per sibling group (the grids of a community, the communities of a street, all streets):
 *   overlaps between siblings with their area, children reaching outside their parent with the
 *   area outside, and gaps — the parent minus the union of its children, or for streets the holes
 *   they enclose — each piece with its area and a point inside it;
 * - streets and communities with no child zone at all.
 *
 * Areas are geodesic m² (turf.area). Overlaps, gaps and outside parts below `areaToleranceM2`
 * (default 1 m²) are rounding noise and not reported. A zone with invalid rings is left out of the
 * pair checks (its ring errors say why), and the gaps of its sibling group are not computed, since
 * the missing zone would show up as a gap.
 *
 * Cost: a sibling group whose boundaries cancel edge for edge is proven exact without geometry
 * (edge-chain.ts); otherwise candidate pairs come from a Flatbush of the group's boxes, an exact
 * boundary walk proves most of them disjoint, and only real interactions are clipped with turf.
 * Measured on the shared 2-core machine: the 350-grid demo in ~0.05–0.15 s, a 3,500-grid district
 * in ~0.2–0.6 s (most of it the ring checks); a broken district costs ~1–5 ms per real problem.
 */
export function checkDistrictTopology(district: DistrictGeometry, options?: TopologyOptions): TopologyProblem[] {
  const opts = resolveTopologyOptions(options);
  const problems: TopologyProblem[] = checkReferences(district);

  // Rings first: only zones with valid rings take part in the pair checks.
  const entries = {} as Record<ZoneLayerName, ZoneEntry[]>;
  // Sibling groups with a member left out for invalid rings: their gaps cannot be computed.
  const invalidGroups = {} as Record<ZoneLayerName, Set<string | null>>;
  for (const layer of ZONE_LAYERS) {
    entries[layer] = [];
    invalidGroups[layer] = new Set();
    for (const feature of district[layer] as ZoneFeature[]) {
      const ringProblems = checkRings(feature.geometry, { layer, featureId: feature.id }, opts);
      problems.push(...ringProblems);
      if (ringProblems.some((p) => p.severity === 'error')) {
        invalidGroups[layer].add(layer === 'streets' ? null : feature.properties.parentId);
        continue;
      }
      const entry = prepareZone(layer, feature);
      entries[layer].push(entry);
      if (entry.areaM2 < opts.minZoneAreaM2) problems.push(tooSmallProblem(entry, opts.minZoneAreaM2));
    }
  }
  for (const road of district.roads) {
    problems.push(...checkLineGeometry(road.geometry, { layer: 'roads', featureId: road.id }, opts));
  }
  for (const checkpoint of district.checkpoints) {
    const where = { layer: 'checkpoints' as const, featureId: checkpoint.id };
    problems.push(
      ...(checkpoint.geometry.type === 'Point'
        ? checkPointGeometry(checkpoint.geometry, where)
        : checkRings(checkpoint.geometry, where, opts)),
    );
  }

  let streetGaps: GapFinding[] = [];
  for (const layer of ZONE_LAYERS) {
    const parentLayer = PARENT_LAYER[layer];
    const parents = parentLayer ? firstById(entries[parentLayer]) : null;
    for (const [parentId, members] of groupByParent(entries[layer], layer)) {
      const parent = parents && parentId !== null ? (parents.get(parentId) ?? null) : null;
      // Children of an unknown or invalid parent are still checked against each other.
      const parentKnown = parentLayer === null || parent !== null;
      const complete = !invalidGroups[layer].has(parentId);
      const report = checkSiblingGroup(parent, members, {
        areaToleranceM2: opts.areaToleranceM2,
        complete: complete && parentKnown,
      });
      problems.push(...report.overlaps.map(overlapProblem));
      if (parent) problems.push(...report.outside.map((found) => outsideProblem(found, parent)));
      // The streets' enclosed holes are judged with the outline and the excluded areas below.
      if (layer === 'streets') streetGaps = report.gaps;
      else problems.push(...report.gaps.map((gap) => gapProblem(gap, layer, parent)));
    }
  }
  problems.push(...checkOutlineAndExcluded(district, entries.streets, streetGaps, opts.areaToleranceM2, opts));
  problems.push(...emptyParents(district));
  return sortProblems(problems);
}

/** Sibling groups of a layer: streets form one group; other zones are grouped by parentId. */
function groupByParent(entries: ZoneEntry[], layer: ZoneLayerName): Map<string | null, ZoneEntry[]> {
  const groups = new Map<string | null, ZoneEntry[]>();
  for (const entry of entries) {
    const key = layer === 'streets' ? null : entry.parentId;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

function firstById(entries: ZoneEntry[]): Map<string, ZoneEntry> {
  const byId = new Map<string, ZoneEntry>();
  for (const entry of entries) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return byId;
}

/** Streets without communities and communities without grids: the whole zone is uncovered. */
function emptyParents(district: DistrictGeometry): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  for (const layer of ['streets', 'communities'] as const) {
    const childLayer = CHILD_LAYER[layer]!;
    const withChildren = new Set((district[childLayer] as ZoneFeature[]).map((f) => f.properties.parentId));
    for (const feature of district[layer] as ZoneFeature[]) {
      if (withChildren.has(feature.id)) continue;
      let areaM2: number | undefined;
      try {
        areaM2 = area(feature.geometry);
      } catch {
        areaM2 = undefined;
      }
      problems.push(
        makeProblem('empty_parent', {
          layer,
          featureId: feature.id,
          ...(areaM2 !== undefined ? { areaM2 } : {}),
          message: `${describeZone(layer, feature.id, feature.properties.name)} has no ${childLayer}; its ${
            areaM2 !== undefined ? formatArea(areaM2) : 'area'
          } is covered by no ${LAYER_NOUN[childLayer]}`,
        }),
      );
    }
  }
  return problems;
}
