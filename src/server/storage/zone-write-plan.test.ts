import { describe, expect, it } from 'vitest';
import type { CurrentFeatureRow } from './feature-rows';
import { MissingRecordError, StaleSnapshotError, VersionConflictError, type AnyFeature, type IssueReassignment, type StoredZoneEdit } from './repository';
import { checkDataSnapshot, planLayerReplacement, planReplacement, planZoneEdit, reassignmentUpdate, touchedIds, zoneEditRow } from './zone-write-plan';

const feature = (id: string, name = id): AnyFeature => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [120, 30] }, properties: { name } });
const row = (id: string, version: number, position: number, deleted = false): CurrentFeatureRow => ({
  id,
  version,
  deleted,
  position,
  json: JSON.stringify({ ...feature(id), properties: { name: id, version } }),
});
const rows = (...list: CurrentFeatureRow[]) => new Map(list.map((r) => [r.id, r]));
const common = { kind: 'edit' as const, by: 'planner', at: '2026-01-10T01:00:00Z', note: '说明', reassignments: [] };

describe('planZoneEdit', () => {
  it('updates at version + 1 in place, creates after the last of the layer, deletes at version + 1, with history before and after', () => {
    const edit: StoredZoneEdit = { ...common, layer: 'grids', upserts: [feature('A', 'A2'), feature('N')], removes: ['B'], expectedVersions: { A: 3, B: 1 } };
    const plan = planZoneEdit(edit, [rows(row('A', 3, 0), row('B', 1, 1))], () => 1);
    expect(plan.features).toEqual([{ id: 'A', version: 4, deleted: false }, { id: 'N', version: 1, deleted: false }, { id: 'B', version: 2, deleted: true }]);
    const [grids] = plan.layers;
    expect(grids!.writes.map((w) => [w.id, w.version, w.deleted, w.position])).toEqual([['A', 4, false, 0], ['N', 1, false, 2], ['B', 2, true, 1]]);
    expect(JSON.parse(grids!.writes[0]!.json)).toEqual({ ...feature('A', 'A2'), properties: { name: 'A2', version: 4 } });
    expect(grids!.writes[2]!.json).toBe(row('B', 1, 1).json);
    expect(grids!.history).toEqual([
      { featureId: 'A', version: 4, action: 'update', before: row('A', 3, 0).json, after: grids!.writes[0]!.json },
      { featureId: 'N', version: 1, action: 'create', before: null, after: grids!.writes[1]!.json },
      { featureId: 'B', version: 2, action: 'delete', before: row('B', 1, 1).json, after: null },
    ]);
    expect(zoneEditRow(edit)).toEqual({ layer: 'grids', action: 'edit', at: common.at, by: 'planner', note: '说明', reassigned_json: '[]' });
    expect(plan.bumps).toEqual(['layer:grids', 'zones', 'data']);
  });

  it('lists every stale version of every layer, a deleted or missing feature at null', () => {
    const edit: StoredZoneEdit = {
      ...common,
      changes: [
        { layer: 'communities', upserts: [], removes: [], expectedVersions: { C: 1 } },
        { layer: 'grids', upserts: [], removes: [], expectedVersions: { A: 2, D: 1, M: 1, B: 1 } },
      ],
    };
    const current = [rows(row('C', 1, 0)), rows(row('A', 3, 0), row('B', 1, 1), row('D', 1, 2, true))];
    expect(() => planZoneEdit(edit, current, () => null)).toThrow(VersionConflictError);
    expect(() => planZoneEdit(edit, current, () => null)).toThrow(
      expect.objectContaining({
        conflicts: [
          { id: 'A', expected: 2, actual: 3 },
          { id: 'D', expected: 1, actual: null },
          { id: 'M', expected: 1, actual: null },
        ],
      }),
    );
  });

  it('refuses to remove what does not exist or is deleted already', () => {
    const remove = (id: string) => planZoneEdit({ ...common, layer: 'grids', upserts: [], removes: [id], expectedVersions: {} }, [rows(row('D', 2, 0, true))], () => null);
    expect(() => remove('D')).toThrow(MissingRecordError);
    expect(() => remove('Z')).toThrow(MissingRecordError);
  });

  it('asks for the last place of a layer only when a feature is new, once per layer', () => {
    const asked: string[] = [];
    const maxPosition = (layer: string) => (asked.push(layer), 7);
    planZoneEdit({ ...common, layer: 'grids', upserts: [feature('A')], removes: [], expectedVersions: { A: 1 } }, [rows(row('A', 1, 0))], maxPosition);
    expect(asked).toEqual([]);
    const plan = planZoneEdit({ ...common, layer: 'grids', upserts: [feature('N'), feature('M')], removes: [], expectedVersions: {} }, [rows()], maxPosition);
    expect(asked).toEqual(['grids']);
    expect(plan.layers[0]!.writes.map((w) => w.position)).toEqual([8, 9]);
  });

  it('continues a re-created id’s versions at its old place; new ones of an empty layer start at 0', () => {
    const plan = planZoneEdit(
      { ...common, layer: 'roads', upserts: [feature('D'), feature('E'), feature('F')], removes: [], expectedVersions: {} },
      [rows(row('D', 2, 5, true))],
      () => null,
    );
    expect(plan.layers[0]!.writes.map((w) => [w.id, w.version, w.position])).toEqual([['D', 3, 5], ['E', 1, 0], ['F', 1, 1]]);
    expect(plan.layers[0]!.history.map((h) => h.action)).toEqual(['create', 'create', 'create']);
  });

  it('a rollback marks every row rollback; several layers make a "multi" edit bumping each layer once', () => {
    const reassignment = { issueId: 'I1' } as IssueReassignment;
    const edit: StoredZoneEdit = {
      ...common,
      kind: 'rollback',
      reassignments: [reassignment],
      changes: [
        { layer: 'grids', upserts: [feature('A')], removes: ['B'], expectedVersions: { A: 1 } },
        { layer: 'communities', upserts: [feature('C')], removes: [], expectedVersions: {} },
      ],
    };
    const plan = planZoneEdit(edit, [rows(row('A', 1, 0), row('B', 1, 1)), rows()], () => null);
    expect(plan.layers.flatMap((l) => l.history.map((h) => h.action))).toEqual(['rollback', 'rollback', 'rollback']);
    expect(zoneEditRow(edit)).toMatchObject({ layer: 'multi', action: 'rollback', reassigned_json: '["I1"]' });
    expect(plan.bumps).toEqual(['layer:grids', 'layer:communities', 'zones', 'data']);
  });

  it('reads the rows of every id it upserts, removes or checks, each once', () => {
    expect(touchedIds({ layer: 'grids', upserts: [feature('A'), feature('B')], removes: ['C'], expectedVersions: { A: 1, C: 2, D: 3 } })).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('planReplacement and planLayerReplacement', () => {
  it('names the replaced layers in layer order and bumps each, then the zones and the data', () => {
    const plan = planReplacement({ meta: null, units: [], layers: { roads: [], grids: [feature('A')] }, reassignments: [], by: 'importer', at: 'T', note: null });
    expect(plan.layers.map(([layer]) => layer)).toEqual(['grids', 'roads']);
    expect(plan.bumps).toEqual(['layer:grids', 'layer:roads', 'zones', 'data']);
    expect(plan.edit).toEqual({ layer: 'all', action: 'import', at: 'T', by: 'importer', note: null, reassigned_json: '[]' });
  });

  it('updates what the import keeps, creates what is new (a deleted id continues its versions), deletes the rest', () => {
    const current = [row('A', 2, 0), row('B', 1, 1), row('D', 4, 2, true), row('G', 1, 3, true)];
    const replacement = planLayerReplacement('grids', [feature('A', 'A 新'), feature('N'), feature('D')], current);
    expect(replacement.tally).toEqual({ created: 2, updated: 1, deleted: 1 });
    expect(replacement.writes.map((w) => [w.id, w.version, w.deleted, w.position])).toEqual([
      ['A', 3, false, 0],
      ['N', 1, false, 1],
      ['D', 5, false, 2],
      ['B', 2, true, 1],
    ]);
    expect(replacement.history.map((h) => [h.featureId, h.action, h.before !== null, h.after !== null])).toEqual([
      ['A', 'update', true, true],
      ['N', 'create', false, true],
      ['D', 'create', false, true],
      ['B', 'delete', true, false],
    ]);
  });
});

describe('reassignmentUpdate and checkDataSnapshot', () => {
  it('moves an issue to the engine’s new answer and keeps its deadline and closing time', () => {
    const assignment = { rule: 'grid' as const, unitId: 'U1', streetId: 'S', communityId: 'C', gridId: 'G', roadId: null, checkpointId: null, distanceM: 0, candidates: [] };
    const r: IssueReassignment = { issueId: 'I1', expectedVersion: 2, status: 'assigned', unitId: 'U1', assignment, entry: { at: 'T', action: 'reassign', from: 'assigned', to: 'assigned', by: 'p' } };
    expect(reassignmentUpdate(r, { deadline: 'D', closed_at: null })).toEqual({ status: 'assigned', unitId: 'U1', engineOwned: true, assignment, deadline: 'D', closedAt: null });
    expect(() => reassignmentUpdate(r, undefined)).toThrow(MissingRecordError);
  });

  it('refuses a write planned on another data revision; none planned passes', () => {
    expect(() => checkDataSnapshot(4, 5)).toThrow(StaleSnapshotError);
    expect(() => checkDataSnapshot(5, 5)).not.toThrow();
    expect(() => checkDataSnapshot(undefined, 5)).not.toThrow();
  });
});
