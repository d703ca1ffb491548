import type { EditableFeature, EditChange } from './edit-types';

/** The change that undoes `change`: before and after swapped (no copies are made). */
export function invertChange<F extends EditableFeature>(change: EditChange<F>): EditChange<F> {
  return { kind: change.kind, before: change.after, after: change.before };
}

/**
 * Applies a change to a layer's features, keyed by id: every feature in `before` that is not in
 * `after` is removed, every feature in `after` replaces the one with its id (or is added). The
 * map is not mutated; insertion order is kept for replaced features, new ones go last.
 */
export function applyChange<F extends EditableFeature>(features: ReadonlyMap<string, F>, change: EditChange<F>): Map<string, F> {
  const next = new Map(features);
  const afterIds = new Set(change.after.map((f) => f.id));
  for (const f of change.before) if (!afterIds.has(f.id)) next.delete(f.id);
  for (const f of change.after) next.set(f.id, f);
  return next;
}

/**
 * Two changes in a row as one (a vertex dragged in several steps, for instance): the features as
 * they were before the first, and as they are after the second.
 */
export function composeChanges<F extends EditableFeature>(first: EditChange<F>, second: EditChange<F>, kind = second.kind): EditChange<F> {
  const before = new Map(first.before.map((f) => [f.id, f]));
  const firstAfterIds = new Set(first.after.map((f) => f.id));
  for (const f of second.before) if (!firstAfterIds.has(f.id) && !before.has(f.id)) before.set(f.id, f);
  const after = new Map(first.after.map((f) => [f.id, f]));
  const secondAfterIds = new Set(second.after.map((f) => f.id));
  for (const f of second.before) if (!secondAfterIds.has(f.id)) after.delete(f.id);
  for (const f of second.after) after.set(f.id, f);
  return { kind, before: [...before.values()], after: [...after.values()] };
}

/** A deep copy of a geometry's coordinates (edits never mutate the features they are given). */
export function cloneGeometry<G extends EditableFeature['geometry']>(geometry: G): G {
  return { type: geometry.type, coordinates: structuredCloneCoords(geometry.coordinates) } as G;
}

function structuredCloneCoords<T>(value: T): T {
  return (Array.isArray(value) ? value.map((v) => structuredCloneCoords(v)) : value) as T;
}
