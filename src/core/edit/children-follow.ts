import { ParentFinder } from '../parent-finder';
import type { AreaFeature, EditChange } from './edit-types';

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
