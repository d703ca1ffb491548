import { ParentFinder } from '../district/parent-finder';
import { CHILD_OF, type EditLayer } from './edit-layer';
import { applyChange, composeChanges } from './edit-change';
import { zonesIn, type LayeredFeatures } from './layered-features';
import { EditError, type AreaFeature, type EditChange, type Position } from './edit-types';
import { splitPolygon, type SplitOptions } from './split-polygon';

/**
 * A change of parent zones (splitting, merging or drawing streets or communities) with the
 * children that have to follow it. Each child whose parent the change reshaped, removed or
 * created, and each child of a sibling that lost area to a new zone, gets the parent that now
 * holds most of its area. The new `parentId`s join the same change, so one undo takes back both.
 *
 * A child that straddles the new boundary goes to the side with most of it; the zone check then
 * reports the part outside, and the planner splits that child too. A child that no parent holds
 * any more keeps its parentId (the check reports it as well).
 *
 * `parentsAfter`: every zone of the parent layer as it is after the change.
 * `children`: every zone of the child layer now (one may already be in the change: its `after` wins).
 */
export function withChildrenFollowing(
  change: EditChange<AreaFeature>,
  parentsAfter: Iterable<AreaFeature>,
  children: Iterable<AreaFeature>,
): { change: EditChange<AreaFeature>; moved: { id: string; from: string; to: string }[] } {
  const touched = new Set([...change.before, ...change.after].map((f) => f.id));
  const inChange = new Map(change.after.map((f) => [f.id, f]));
  const candidates = [...children].map((c) => inChange.get(c.id) ?? c).filter((c) => touched.has(String(c.properties.parentId ?? '')));
  if (candidates.length === 0) return { change, moved: [] };

  const finder = new ParentFinder([...parentsAfter]);
  const moved: { id: string; from: string; to: string }[] = [];
  const before = [...change.before];
  const after = [...change.after];
  for (const child of candidates) {
    const from = String(child.properties.parentId);
    const to = finder.containing(child.geometry);
    if (!to || to === from) continue;
    const followed: AreaFeature = { ...child, properties: { ...child.properties, parentId: to } };
    const at = after.findIndex((f) => f.id === child.id);
    if (at >= 0) after[at] = followed;
    else {
      before.push(child);
      after.push(followed);
    }
    moved.push({ id: child.id, from, to });
  }
  return moved.length ? { change: { ...change, before, after }, moved } : { change, moved };
}

/**
 * Splits zone `id` of `levels[0]` by a line and, along the same line, the zones below it that the
 * line cuts: its children in `levels[1]`, their children in `levels[2]`, and so on (a street, its
 * communities, their grids). Then every level's children follow their parents
 * (withChildrenFollowing). A child the line crosses other than cleanly (along an edge, through a
 * hole, several times) stays whole and goes with most of its area; the zone check names the rest.
 *
 * `pieceOf(level, feature)`: the id and properties of the new piece when `feature` is split.
 */
export function splitWithChildren(
  levels: readonly ReadonlyMap<string, AreaFeature>[],
  id: string,
  line: readonly Position[],
  pieceOf: (level: number, feature: AreaFeature) => SplitOptions,
): { change: EditChange<AreaFeature>; moved: { id: string; from: string; to: string }[]; split: string[] } {
  const top = levels[0]!.get(id);
  if (!top) throw new EditError('not_found', `there is no zone ${id}`);
  let change = splitPolygon(levels[0]!, id, line, pieceOf(0, top));
  const after = [applyChange(levels[0]!, change)];
  const split: string[] = [id];
  let cutAbove = new Set([id]);
  for (let level = 1; level < levels.length; level++) {
    let features = new Map(levels[level]!);
    const cutHere = new Set<string>();
    for (const child of levels[level]!.values()) {
      if (!cutAbove.has(String(child.properties.parentId ?? ''))) continue;
      try {
        const piece = splitPolygon(features, child.id, line, pieceOf(level, child));
        features = applyChange(features, piece);
        change = composeChanges(change, piece, change.kind);
        cutHere.add(child.id);
        split.push(child.id);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
      }
    }
    after.push(features);
    cutAbove = cutHere;
  }
  const moved: { id: string; from: string; to: string }[] = [];
  for (let level = 1; level < levels.length; level++) {
    const followed = withChildrenFollowing(change, after[level - 1]!.values(), after[level]!.values());
    change = followed.change;
    moved.push(...followed.moved);
    // The next level's parents are this level's zones after following (only this level's ids).
    const latest = new Map(change.after.map((f) => [f.id, f]));
    after[level] = new Map([...after[level]!].map(([fid, f]) => [fid, latest.get(fid) ?? f]));
  }
  return { change, moved, split };
}

/**
 * A change of zones of `layer` (a merge, a drawn zone) with the zones of the layer below that now
 * lie in another of them following it (withChildrenFollowing), in the same change. A grid change,
 * having no layer below, comes back as it is. `moved` counts the zones below that followed.
 */
export function followChildren(change: EditChange<AreaFeature>, layer: EditLayer, session: LayeredFeatures): { change: EditChange<AreaFeature>; moved: number } {
  const childLayer = CHILD_OF[layer];
  if (!childLayer) return { change, moved: 0 };
  const parentsAfter = applyChange(zonesIn(session, layer), change).values();
  const followed = withChildrenFollowing(change, parentsAfter, zonesIn(session, childLayer).values());
  return { change: followed.change, moved: followed.moved.length };
}
