import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ZoneFeature } from '../district/district-schema';
import { buildZoneEditIndex, checkZoneEdit } from '../topology/zone-edit-check';
import { at, editFixture } from './edit-fixture';
import { commitChange, rebaseSession, redoChange, sessionDiff, startSession, undoChange, type EditSession } from './edit-session';
import type { AreaFeature, EditChange } from './edit-types';
import { EditError } from './edit-types';
import { mergePolygons } from './merge-polygons';
import { snapPoint } from './snap';
import { splitPolygon } from './split-polygon';
import { deleteVertex, insertVertex, moveVertex } from './vertex-edit';

const fixture = editFixture();
const snapshot = (s: EditSession<AreaFeature>) => JSON.stringify([...s.features.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));

/** One random edit of the current features, or null when the drawn one does not apply. */
type Op = { kind: 'move' | 'insert' | 'delete' | 'split' | 'merge'; pick: number; dx: number; dy: number; shared: boolean };
function apply(features: ReadonlyMap<string, AreaFeature>, op: Op): EditChange<AreaFeature> | null {
  const list = [...features.values()];
  const f = list[op.pick % list.length];
  const parts = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
  const part = op.pick % parts.length;
  const ring = parts[part][op.pick % parts[part].length];
  const index = op.pick % (ring.length - 1);
  const ref = { featureId: f.id, part, ring: op.pick % parts[part].length, index };
  try {
    switch (op.kind) {
      case 'move':
        return moveVertex(features, ref, [ring[index][0] + op.dx * 1e-4, ring[index][1] + op.dy * 1e-4], { shared: op.shared });
      case 'insert': {
        const a = ring[index];
        const b = ring[index + 1];
        return insertVertex(features, ref, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], { shared: op.shared });
      }
      case 'delete':
        return deleteVertex(features, ref, { shared: op.shared });
      case 'split': {
        const y = at(0, 0.3 + (op.pick % 24) / 10)[1];
        return splitPolygon(features, f.id, [[at(-1, 0)[0], y], [at(7, 0)[0], y]], { newId: `${f.id}-${op.pick}-${op.dx}` });
      }
      case 'merge': {
        const other = list[(op.pick + 1) % list.length];
        return mergePolygons(features, [f.id, other.id]);
      }
    }
  } catch (error) {
    if (error instanceof EditError) return null;
    throw error;
  }
}

const opArb = fc.record({
  kind: fc.constantFrom('move', 'insert', 'delete', 'split', 'merge') as fc.Arbitrary<Op['kind']>,
  pick: fc.nat(1000),
  dx: fc.integer({ min: -5, max: 5 }),
  dy: fc.integer({ min: -5, max: 5 }),
  shared: fc.boolean(),
});

describe('edit session: undo and redo', () => {
  it('undoing every edit of a random session restores the features byte for byte, and redo replays them exactly', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 12 }), (ops) => {
        let session = startSession(fixture.gridMap.values());
        const start = snapshot(session);
        const states: string[] = [start];
        for (const op of ops) {
          const change = apply(session.features, op);
          if (!change) continue;
          session = commitChange(session, change);
          states.push(snapshot(session));
        }
        const end = snapshot(session);
        for (let i = states.length - 1; i > 0; i--) {
          expect(snapshot(session)).toBe(states[i]);
          session = undoChange(session);
        }
        expect(snapshot(session)).toBe(start);
        expect(sessionDiff(session)).toEqual({ upsert: [], remove: [] });
        while (session.undone.length) session = redoChange(session);
        expect(snapshot(session)).toBe(end);
      }),
      { numRuns: 150 },
    );
  });

  it('shared edits keep the layer valid through any sequence of moves and inserts (checkZoneEdit as oracle)', () => {
    const index = buildZoneEditIndex(fixture);
    fc.assert(
      fc.property(fc.array(opArb.filter((op) => op.kind === 'insert' || op.kind === 'move'), { minLength: 1, maxLength: 6 }), (ops) => {
        let session = startSession(fixture.gridMap.values());
        for (const op of ops) {
          const change = apply(session.features, { ...op, shared: true, dx: Math.sign(op.dx), dy: Math.sign(op.dy) });
          if (!change) continue;
          // A vertex on the community's outline moved inward leaves a gap in the parent, rightly:
          // only interior vertices are moved here.
          if (op.kind === 'move' && !movesInteriorVertex(change)) continue;
          session = commitChange(session, change);
        }
        const { upsert, remove } = sessionDiff(session);
        // Only geometry breakage may be reported: outside the community (a moved outer vertex) or a
        // ring that now crosses itself — never an overlap or a gap between neighbours.
        const problems = checkZoneEdit(index, { layer: 'grids', upsert: upsert as unknown as ZoneFeature[], remove });
        expect(problems.filter((p) => p.code === 'overlap' || p.code === 'gap')).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('records a split and a merge as single undo steps and reports the net change for saving', () => {
    let session = startSession(fixture.gridMap.values());
    session = commitChange(session, splitPolygon(session.features, 'D', [at(3.8, 1.2), at(5.2, 1.2)], { newId: 'D2' }));
    session = commitChange(session, mergePolygons(session.features, ['A', 'H'], 'A'));
    const diff = sessionDiff(session);
    expect(diff.upsert.map((f) => f.id).sort()).toEqual(['A', 'B', 'D', 'D2']);
    expect(diff.remove).toEqual(['H']);
    session = undoChange(session);
    expect(sessionDiff(session).remove).toEqual([]);
    expect(redoChange(undoChange(session)).features).toEqual(session.features);
  });

  it('re-applies the planner’s features on a newer base as one undoable change', () => {
    let session = startSession(fixture.gridMap.values());
    session = commitChange(session, moveVertex(session.features, { featureId: 'A', part: 0, ring: 0, index: 2 }, at(3.2, 1.5)));
    const theirs = [...fixture.gridMap.values()].map((f) => (f.id === 'D' ? { ...f, properties: { ...f.properties, name: '别人改的', version: 2 } } : f));
    const rebased = rebaseSession(session, theirs);
    expect(rebased.features.get('D')!.properties.name).toBe('别人改的');
    expect(rebased.features.get('A')).toBe(session.features.get('A'));
    expect(rebased.done).toHaveLength(1);
    expect(undoChange(rebased).features.get('A')).toBe(fixture.gridMap.get('A'));
  });
});

/** Every position of a feature, as "lon,lat" keys. */
const positionsOf = (f: AreaFeature) => (JSON.parse(JSON.stringify(f.geometry.coordinates)) as unknown[]).flat(3) as number[];
const keysOf = (f: AreaFeature) => {
  const flat = positionsOf(f);
  const keys: string[] = [];
  for (let i = 0; i < flat.length; i += 2) keys.push(`${flat[i]},${flat[i + 1]}`);
  return keys;
};

/** True when every position the change moved lies strictly inside the community [0,6]×[0,3]. */
function movesInteriorVertex(change: EditChange<AreaFeature>): boolean {
  const [x0, y0] = at(0, 0);
  const [x1, y1] = at(6, 3);
  const after = new Set(change.after.flatMap(keysOf));
  const moved = change.before.flatMap(keysOf).filter((k) => !after.has(k)).map((k) => k.split(',').map(Number));
  return moved.every(([x, y]) => x > x0 && x < x1 && y > y0 && y < y1);
}

describe('snapPoint', () => {
  const features = [...fixture.gridMap.values()];
  it('snaps to the nearest vertex within the tolerance, bit-equal', () => {
    const near = at(3.0002, 1.5001); // ~2 m from the shared middle vertex
    const snap = snapPoint(near, features, { toleranceM: 5 })!;
    expect(snap.kind).toBe('vertex');
    expect(snap.point).toEqual(at(3, 1.5));
  });
  it('snaps to an edge when no vertex is close, and to nothing beyond the tolerance', () => {
    const snap = snapPoint(at(4.0003, 0.7), features, { toleranceM: 5 })!;
    expect(snap.kind).toBe('edge');
    expect(snap.point[0]).toBeCloseTo(at(4, 0)[0], 12);
    expect(snapPoint(at(4.5, 0.7), features, { toleranceM: 5 })).toBeNull();
  });
  it('never snaps a dragged vertex onto itself or to excluded features', () => {
    const snap = snapPoint(at(3.0001, 1.5), features, { toleranceM: 5, skip: at(3, 1.5) });
    expect(snap?.point).not.toEqual(at(3, 1.5));
    expect(snapPoint(at(4.0003, 0.7), features, { toleranceM: 5, exclude: new Set(['B', 'D']) })).toBeNull();
  });
});
