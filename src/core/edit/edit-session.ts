/**
 * core/edit — the zone editor's operations (moveVertex, insertVertex, deleteVertex,
 * splitPolygon, mergePolygons, drawPolygon, snapPoint, replaceProperties), each a pure function
 * returning the features before and after, the session with undo and redo (this file), the
 * zones below that follow a split or merge (children-follow), the editor's own rules built on
 * them (splitZone, drawZone, mergeZones; zone-properties for the pieces' and new zones' names
 * and codes; edit-layer for the layers and new ids; pick-feature; layered-features for a session
 * over several layers) and the multi-layer view the live check uses (zone-layers). Uses topology
 * for the checks and assignment for the impact.
 */
import { applyChange, invertChange } from './edit-change';
import type { EditableFeature, EditChange } from './edit-types';

/**
 * An editing session over one layer: the features as loaded (`base`), the features now, and the
 * undo and redo stacks. Immutable: every operation returns a new session, so a React state can
 * hold it and an undo can never leave half an edit behind.
 */
export interface EditSession<F extends EditableFeature = EditableFeature> {
  readonly base: ReadonlyMap<string, F>;
  readonly features: ReadonlyMap<string, F>;
  readonly done: readonly EditChange<F>[];
  readonly undone: readonly EditChange<F>[];
}

/** A session starting from `features` (their order is kept). */
export function startSession<F extends EditableFeature>(features: Iterable<F>): EditSession<F> {
  const base = new Map<string, F>();
  for (const f of features) base.set(f.id, f);
  return { base, features: base, done: [], undone: [] };
}

/** Applies a change and puts it on the undo stack; the redo stack is cleared. */
export function commitChange<F extends EditableFeature>(session: EditSession<F>, change: EditChange<F>): EditSession<F> {
  return { base: session.base, features: applyChange(session.features, change), done: [...session.done, change], undone: [] };
}

/** Undoes the last change (no-op when there is none). */
export function undoChange<F extends EditableFeature>(session: EditSession<F>): EditSession<F> {
  const last = session.done.at(-1);
  if (!last) return session;
  return {
    base: session.base,
    features: applyChange(session.features, invertChange(last)),
    done: session.done.slice(0, -1),
    undone: [...session.undone, last],
  };
}

/** Redoes the last undone change (no-op when there is none). */
export function redoChange<F extends EditableFeature>(session: EditSession<F>): EditSession<F> {
  const next = session.undone.at(-1);
  if (!next) return session;
  return { base: session.base, features: applyChange(session.features, next), done: [...session.done, next], undone: session.undone.slice(0, -1) };
}

/**
 * What the session changed against its base, as the server's batch edit wants it: features that
 * are new or differ (by value) from the base, and ids of base features that are gone. A change
 * undone by hand (a vertex moved and moved back) is not reported.
 */
export function sessionDiff<F extends EditableFeature>(session: EditSession<F>): { upsert: F[]; remove: string[] } {
  const upsert: F[] = [];
  for (const [id, f] of session.features) {
    const old = session.base.get(id);
    if (old === f) continue;
    if (old && sameFeature(old, f)) continue;
    upsert.push(f);
  }
  const remove = [...session.base.keys()].filter((id) => !session.features.has(id));
  return { upsert, remove };
}

/** True when two features have the same geometry and properties, value for value. */
export function sameFeature(a: EditableFeature, b: EditableFeature): boolean {
  return a.id === b.id && JSON.stringify(a.geometry) === JSON.stringify(b.geometry) && JSON.stringify(a.properties) === JSON.stringify(b.properties);
}

/**
 * Moves a session onto a newer base (someone else saved): the features this session changed are
 * laid over the new base and the ones it removed are removed, as one change that can be undone
 * (which leaves the other planner's version). The old undo stack is dropped: its changes were
 * made against the old base.
 */
export function rebaseSession<F extends EditableFeature>(session: EditSession<F>, newBase: Iterable<F>): EditSession<F> {
  const { upsert, remove } = sessionDiff(session);
  const fresh = startSession(newBase);
  const before = [...upsert.map((f) => fresh.base.get(f.id)), ...remove.map((id) => fresh.base.get(id))].filter((f): f is F => f !== undefined);
  if (upsert.length === 0 && before.length === 0) return fresh;
  return commitChange(fresh, { kind: 'replace', before, after: upsert });
}

/**
 * The version of a feature as the session loaded it (what the server must still have for a save
 * to go through), 1 when it carries none; null for a feature the session made.
 */
export function baseVersion(session: EditSession, id: string): number | null {
  const f = session.base.get(id);
  if (!f) return null;
  return typeof f.properties.version === 'number' ? f.properties.version : 1;
}

/** The base version of every loaded feature a change upserts or removes, as a save sends them (expectedVersions). */
export function expectedVersions(session: EditSession, change: { upsert: readonly EditableFeature[]; remove: readonly string[] }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of [...change.upsert.map((f) => f.id), ...change.remove]) {
    const v = baseVersion(session, id);
    if (v !== null) out[id] = v;
  }
  return out;
}
