import type { DistrictGeometry, ZoneFeature, ZoneLayerName } from './district-schema';
import { boxesMeet } from './prepared-area';
import { CHILD_LAYER, PARENT_LAYER, checkFeatureReferences, duplicateCodes, duplicateIds } from './reference-check';
import { checkRings } from './ring-check';
import { checkSiblingGroup, prepareZone, type ZoneEntry } from './sibling-check';
import { LAYER_NOUN, makeProblem, resolveTopologyOptions, sortProblems, type TopologyOptions, type TopologyProblem } from './topology-problem';
import { gapProblem, outsideProblem, overlapProblem, tooSmallProblem } from './zone-problems';

/**
 * The check run when a planner changes one or a few zones of one layer: the server's 422 reasons
 * for `PUT /api/zones/…` (and create, delete, split, merge) and the editor's live validation.
 *
 * Usage: build the index once from the current zones (`buildZoneEditIndex`), then call
 * `checkZoneEdit(index, edit)` for every proposed edit; rebuild the index after an edit is saved.
 * The index prepares zones lazily and caches them, so repeated checks around the same place cost
 * only the changed features.
 */

/** A proposed change to one zone layer. A split is one upsert + one new feature; a merge removes some and upserts one. */
export interface ZoneEdit {
  layer: ZoneLayerName;
  /** New features, and changed features replacing the current feature with the same id. */
  upsert?: readonly ZoneFeature[];
  /** Ids of current features to delete. */
  remove?: readonly string[];
}

interface LayerState {
  features: readonly ZoneFeature[];
  byId: Map<string, ZoneFeature>;
  byParent: Map<string | null, ZoneFeature[]>;
}

/** The current zones of a district, prepared for checkZoneEdit. Treat as opaque and immutable. */
export interface ZoneEditIndex {
  readonly unitIds: ReadonlySet<string>;
  readonly layers: Record<ZoneLayerName, LayerState>;
  /** Prepared current zones (null: invalid rings), filled on first use. */
  readonly entries: Map<ZoneFeature, ZoneEntry | null>;
}

/**
 * Indexes the current zones for checkZoneEdit: ids, children by parent, and an empty cache of
 * prepared geometry. Linear and cheap (no geometry work); the district is not copied, so do not
 * mutate it while the index is in use.
 */
export function buildZoneEditIndex(district: Pick<DistrictGeometry, 'units' | ZoneLayerName>): ZoneEditIndex {
  const layer = (features: readonly ZoneFeature[], zoneLayer: ZoneLayerName): LayerState => {
    const byId = new Map<string, ZoneFeature>();
    const byParent = new Map<string | null, ZoneFeature[]>();
    for (const feature of features) {
      if (!byId.has(feature.id)) byId.set(feature.id, feature);
      const key = groupKey(zoneLayer, feature);
      const group = byParent.get(key);
      if (group) group.push(feature);
      else byParent.set(key, [feature]);
    }
    return { features, byId, byParent };
  };
  return {
    unitIds: new Set(district.units.map((u) => u.id)),
    layers: {
      streets: layer(district.streets, 'streets'),
      communities: layer(district.communities, 'communities'),
      grids: layer(district.grids, 'grids'),
    },
    entries: new Map(),
  };
}

/**
 * Checks a proposed edit of one zone layer and returns the problems it would cause, sorted; []
 * means the edit may be saved (problems with severity 'warning' may be accepted).
 *
 * Reported, only around the edit:
 * - each changed feature's rings (checkRings), blank name, parentId and ownerUnitId that point
 *   nowhere, an id given twice in the edit, a code another zone of the layer already has, a zone
 *   below the minimum area; `not_found` for removing an id that does not exist;
 * - overlaps between a changed feature and its siblings (same parent; for streets, all streets),
 *   with the area in m² — `featureId` is the changed feature, `otherId` the sibling;
 * - the part of a changed feature outside its parent;
 * - gaps the edit leaves in its parent (for streets: holes enclosed by the streets) that touch the
 *   old or new extent of a changed or removed feature — `featureId` is that feature, `otherId` the
 *   first other sibling the gap borders;
 * - when a street or community changes shape: its children that now reach outside it and the
 *   part of it none of its children covers; when it is removed: its children, left dangling.
 *
 * A changed feature whose rings are invalid is not compared with its neighbours (its ring errors
 * say what to fix first). A feature whose geometry and parentId are unchanged (an attribute edit)
 * gets only the attribute checks. Areas are geodesic m²; tolerances as for checkDistrictTopology.
 * Cost: the sibling groups touched (a handful of zones each) and the children of a changed parent —
 * a few milliseconds for a grid edit in the demo district.
 */
export function checkZoneEdit(index: ZoneEditIndex, edit: ZoneEdit, options?: TopologyOptions): TopologyProblem[] {
  const opts = resolveTopologyOptions(options);
  const { layer } = edit;
  const state = index.layers[layer];
  const parentLayer = PARENT_LAYER[layer];
  const childLayer = CHILD_LAYER[layer];
  const upserts = edit.upsert ?? [];
  const removes = edit.remove ?? [];
  const noun = LAYER_NOUN[layer];
  const problems: TopologyProblem[] = [];

  for (const id of removes) {
    if (!state.byId.has(id)) {
      problems.push(makeProblem('not_found', { layer, featureId: id, message: `there is no ${noun} ${id} to remove` }));
    }
  }
  problems.push(...duplicateIds(upserts, layer));
  const changedIds = new Set([...upserts.map((f) => f.id), ...removes]);
  const unchanged = state.features.filter((f) => !changedIds.has(f.id));
  const upsertIds = new Set(upserts.map((f) => f.id));
  problems.push(...duplicateCodes([...unchanged, ...upserts], layer).filter((p) => upsertIds.has(p.featureId)));

  const parentIds = parentLayer ? new Set(index.layers[parentLayer].byId.keys()) : null;
  const entryOf = new Map<ZoneFeature, ZoneEntry | null>();
  const spatial: ZoneFeature[] = [];
  for (const feature of upserts) {
    problems.push(...checkFeatureReferences(feature, layer, { parentIds, unitIds: index.unitIds }, true));
    const old = state.byId.get(feature.id);
    if (old && sameGeometry(old, feature) && old.properties.parentId === feature.properties.parentId) {
      entryOf.set(feature, currentEntry(index, layer, old));
      continue; // attribute edit: the shape and its neighbours are as they were
    }
    const ringProblems = checkRings(feature.geometry, { layer, featureId: feature.id }, opts);
    problems.push(...ringProblems);
    if (ringProblems.some((p) => p.severity === 'error')) {
      entryOf.set(feature, null);
      continue;
    }
    const entry = prepareZone(layer, feature);
    entryOf.set(feature, entry);
    spatial.push(feature);
    if (entry.areaM2 < opts.minZoneAreaM2) problems.push(tooSmallProblem(entry, opts.minZoneAreaM2));
  }

  // Children of removed zones that the edit does not re-create are left without a parent.
  if (childLayer) {
    for (const id of removes) {
      if (upsertIds.has(id)) continue;
      for (const child of index.layers[childLayer].byParent.get(id) ?? []) {
        problems.push(
          makeProblem('dangling_parent', {
            layer: childLayer,
            featureId: child.id,
            otherId: id,
            message: `removing ${noun} ${id} leaves ${LAYER_NOUN[childLayer]} ${child.id} without a parent`,
          }),
        );
      }
    }
  }

  // The sibling groups the edit touches: where changed features are now, and where they were.
  const olds = [...changedIds].map((id) => state.byId.get(id)).filter((f): f is ZoneFeature => f !== undefined);
  const movedOrReshaped = new Set<ZoneFeature>(spatial);
  const touched = [...spatial, ...olds.filter((f) => !upsertIds.has(f.id) || spatial.some((s) => s.id === f.id))];
  const affectedBoxes = touched.map((f) => boxOf(index, layer, f, entryOf)).filter(isBox);
  const groupKeys = new Set(touched.map((f) => groupKey(layer, f)));
  const changedEntries = new Set([...movedOrReshaped].map((f) => entryOf.get(f)).filter((e): e is ZoneEntry => !!e));

  for (const key of groupKeys) {
    const members = [
      ...(state.byParent.get(key) ?? []).filter((f) => !changedIds.has(f.id)),
      ...upserts.filter((f) => groupKey(layer, f) === key),
    ];
    const entries = members.map((f) => (entryOf.has(f) ? entryOf.get(f)! : currentEntry(index, layer, f)));
    const valid = entries.filter((e): e is ZoneEntry => e !== null);
    const parent = parentLayer && key !== null ? parentEntry(index, parentLayer, key) : null;
    const parentKnown = parentLayer === null || parent !== null;
    const report = checkSiblingGroup(parent, valid, {
      areaToleranceM2: opts.areaToleranceM2,
      complete: valid.length === entries.length && parentKnown,
    });
    for (const found of report.overlaps) {
      if (changedEntries.has(found.a)) problems.push(overlapProblem(found));
      else if (changedEntries.has(found.b)) problems.push(overlapProblem({ ...found, a: found.b, b: found.a }));
    }
    if (parent) {
      for (const found of report.outside) if (changedEntries.has(found.child)) problems.push(outsideProblem(found, parent));
    }
    for (const gap of report.gaps) {
      if (!affectedBoxes.some((box) => boxesMeet(box, gap.bbox))) continue; // a gap that was there before, elsewhere
      const cause = gapCause(gap, touched, index, layer, entryOf, upsertIds);
      problems.push(gapProblem(gap, layer, parent, cause));
    }
  }

  // A street or community that changed shape must still hold its children.
  if (childLayer) {
    for (const feature of spatial) {
      const entry = entryOf.get(feature)!;
      const children = index.layers[childLayer].byParent.get(feature.id) ?? [];
      if (children.length === 0) continue;
      const childEntries = children.map((f) => currentEntry(index, childLayer, f));
      const valid = childEntries.filter((e): e is ZoneEntry => e !== null);
      const report = checkSiblingGroup(entry, valid, {
        areaToleranceM2: opts.areaToleranceM2,
        complete: valid.length === childEntries.length,
      });
      problems.push(...report.outside.map((found) => outsideProblem(found, entry)));
      problems.push(...report.gaps.map((gap) => gapProblem(gap, childLayer, entry)));
    }
  }
  return sortProblems(problems);
}

function groupKey(layer: ZoneLayerName, feature: ZoneFeature): string | null {
  return layer === 'streets' ? null : feature.properties.parentId;
}

/** The prepared current zone, or null when its rings are invalid; cached in the index. */
function currentEntry(index: ZoneEditIndex, layer: ZoneLayerName, feature: ZoneFeature): ZoneEntry | null {
  const cached = index.entries.get(feature);
  if (cached !== undefined) return cached;
  const valid = !checkRings(feature.geometry, { layer, featureId: feature.id }).some((p) => p.severity === 'error');
  const entry = valid ? prepareZone(layer, feature) : null;
  index.entries.set(feature, entry);
  return entry;
}

function parentEntry(index: ZoneEditIndex, layer: ZoneLayerName, id: string): ZoneEntry | null {
  const feature = index.layers[layer].byId.get(id);
  return feature ? currentEntry(index, layer, feature) : null;
}

function boxOf(
  index: ZoneEditIndex,
  layer: ZoneLayerName,
  feature: ZoneFeature,
  entryOf: Map<ZoneFeature, ZoneEntry | null>,
): [number, number, number, number] | null {
  const entry = entryOf.has(feature) ? entryOf.get(feature) : currentEntry(index, layer, feature);
  return entry ? entry.area.bbox : null;
}

function isBox(box: [number, number, number, number] | null): box is [number, number, number, number] {
  return box !== null;
}

/**
 * Which changed feature a gap is blamed on: a changed feature the gap borders, else a changed or
 * removed feature whose old or new box holds it (a removed zone leaves its whole area as gap).
 */
function gapCause(
  gap: { borderingIds: string[]; bbox: [number, number, number, number] },
  touched: ZoneFeature[],
  index: ZoneEditIndex,
  layer: ZoneLayerName,
  entryOf: Map<ZoneFeature, ZoneEntry | null>,
  upsertIds: ReadonlySet<string>,
): { id: string; name?: string; removed?: boolean } {
  const bordering = touched.find((f) => upsertIds.has(f.id) && gap.borderingIds.includes(f.id));
  if (bordering) return { id: bordering.id, name: bordering.properties.name };
  const holder =
    touched.find((f) => {
      const box = boxOf(index, layer, f, entryOf);
      return box !== null && boxesMeet(box, gap.bbox);
    }) ?? touched[0];
  return { id: holder.id, name: holder.properties.name, removed: !upsertIds.has(holder.id) };
}

/** Same coordinates, position for position (a cheap test that tells attribute edits from reshapes). */
function sameGeometry(a: ZoneFeature, b: ZoneFeature): boolean {
  return a.geometry.type === b.geometry.type && JSON.stringify(a.geometry.coordinates) === JSON.stringify(b.geometry.coordinates);
}
