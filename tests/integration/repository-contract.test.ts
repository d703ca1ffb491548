/**
 * The repository contract (src/server/storage/repository.ts), one suite for both backends: in
 * the vitest project "sqlite" on a SQLite file in a temp folder, in the project "postgres" on a
 * fresh database of the throwaway cluster (vite.config.ts names this file there). The cases drive
 * the DutymapRepository interface directly, as the services do, and every case starts from a
 * freshly seeded database: the API test district (tests/helpers/api-district.ts) at NOW.
 *
 * What only one backend has is tested beside it: migrations in storage/migrations/, PostgreSQL's
 * LISTEN/NOTIFY, PostGIS columns and bulk insert in postgres-repository.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { apiTestDistrict } from '../helpers/api-district';
import { TEST_BACKEND, freshTestDatabaseUrl, tempFolder } from '../helpers/api-server';
import type { DistrictData } from '../../src/core/issues/district-data';
import { LAYERS as LAYER_LIST, type LayerName } from '../../src/core/district/district-schema';
import { ISSUE_STATUSES, type IssueHistoryEntry } from '../../src/core/issues/issue-schema';
import { openPostgresRepository } from '../../src/server/storage/postgres/postgres-repository';
import { openSqliteRepository } from '../../src/server/storage/sqlite/sqlite-repository';
import { TEXT_INDEX_POSITIONS, issueMayMatch, statusBranches, type TextLimits } from '../../src/server/storage/issue-query';
import fc from 'fast-check';
import {
  DuplicateRecordError,
  LastAdminError,
  MissingRecordError,
  StaleSnapshotError,
  VersionConflictError,
  type AnyFeature,
  type DutymapRepository,
  type IssueCounts,
  type NewAuditEntry,
  type IssueFilter,
  type IssueRecord,
  type IssueReassignment,
  type IssueSort,
  type NewIssue,
  type NewUser,
  type StoredZoneEdit,
  type ZoneLayerChange,
} from '../../src/server/storage/repository';

const NOW = '2026-01-10T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const HOUR = 3600_000;
const later = (hours: number) => new Date(NOW_MS + hours * HOUR).toISOString();

const USERS: NewUser[] = [
  { id: 'u-admin', username: 'admin', displayName: '管理员', role: 'admin', unitId: null, passwordHash: 'hash-admin' },
  { id: 'u-unit', username: 'unit', displayName: '东湖街道', role: 'unit', unitId: 'U-s1', passwordHash: 'hash-unit' },
];

/** A user as the repository gives it back: as created, with its creation time, enabled. */
const stored = (user: NewUser, at = NOW) => ({ ...user, createdAt: at, disabledAt: null });

const opened: DutymapRepository[] = [];
afterEach(async () => {
  for (const repo of opened.splice(0)) await repo.close();
});

/**
 * A new empty database of the backend under test; the function opens a repository on it (again
 * and again, with the given text limits (issue-query.ts TextLimits) or the backend's own), and
 * `raw` runs one SQL statement on it outside the repository (tests of what the schema itself
 * refuses).
 */
async function emptyDatabase(): Promise<((textLimits?: TextLimits) => Promise<DutymapRepository>) & { raw: (sql: string) => Promise<void> }> {
  const track = (repo: DutymapRepository) => (opened.push(repo), repo);
  if (TEST_BACKEND === 'postgres') {
    const url = await freshTestDatabaseUrl();
    const raw = async (sql: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    return Object.assign(async (textLimits?: TextLimits) => track(await openPostgresRepository(url, { poolSize: 4, textLimits })), { raw });
  }
  const path = join(tempFolder('dutymap-contract-'), 'contract.db');
  const raw = async (sql: string) => {
    const db = new Database(path);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };
  return Object.assign(async (textLimits?: TextLimits) => track(openSqliteRepository(path, { textLimits })), { raw });
}

/** A repository on a fresh database seeded with `data` (the test district at NOW by default). */
async function seeded(data: DistrictData = apiTestDistrict(new Date(NOW))) {
  const open = await emptyDatabase();
  const repo = await open();
  await repo.seed(data, USERS, NOW);
  return { repo, open, raw: open.raw };
}

const rename = (feature: AnyFeature, name: string): AnyFeature => ({ ...feature, properties: { ...feature.properties, name } });
const box = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

/** An edit of the grids layer by the planner an hour after NOW, with what `change` sets. */
function gridEdit(change: Partial<Omit<ZoneLayerChange, 'layer'> & Omit<StoredZoneEdit, 'changes'>> & Pick<ZoneLayerChange, 'expectedVersions'>): StoredZoneEdit {
  return { layer: 'grids', kind: 'edit', upserts: [], removes: [], by: 'planner', at: later(1), note: null, reassignments: [], ...change };
}

/** What a zone edit moving `issue` into G1 (owner U-s1) hands the repository. */
function reassignToG1(issue: IssueRecord, at = later(1)): IssueReassignment {
  return {
    issueId: issue.id,
    expectedVersion: issue.version,
    status: issue.status,
    unitId: 'U-s1',
    assignment: { ...issue.assignment, gridId: 'G1', unitId: 'U-s1' },
    entry: { at, action: 'reassign', from: issue.status, to: issue.status, by: 'planner', note: '网格边界调整', unitId: 'U-s1' },
  };
}

const newIssue = (over: Partial<NewIssue> = {}): NewIssue => ({
  lon: 120.0025,
  lat: 30.0025,
  category: 'damaged_facility',
  description: '新报的问题',
  source: 'inspection',
  severity: 'medium',
  reportedAt: later(2),
  reportedBy: 'inspector',
  deadline: later(74),
  status: 'assigned',
  unitId: 'U-s1',
  engineOwned: true,
  assignment: { rule: 'grid', unitId: 'U-s1', streetId: 'S1', communityId: 'C1', gridId: 'G1', roadId: null, checkpointId: null, distanceM: 0, candidates: [] },
  closedAt: null,
  photos: [],
  ...over,
});
const reportEntry = (at = later(2)): IssueHistoryEntry => ({ at, action: 'report', from: null, to: 'assigned', by: 'inspector' });

/** The total countIssues gives for a filter: the counts of the filter's statuses (exact ones only). */
async function totalOf(repo: DutymapRepository, filter: IssueFilter): Promise<number> {
  const counts = await repo.countIssues(filter);
  if (!counts.exact) throw new Error(`not an exact count: at least ${counts.atLeast}`);
  return statusBranches(filter).reduce((sum, status) => sum + counts.byStatus[status], 0);
}

/** Every batch an issueBatches read gives, as lists of ids. */
async function collect(batches: AsyncIterable<IssueRecord[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of batches) out.push(batch.map((i) => i.id));
  return out;
}

/** Every stored issue, in seq order. */
async function allIssues(repo: DutymapRepository): Promise<IssueRecord[]> {
  return (await repo.listIssues({ nowMs: NOW_MS }, { sort: 'reportedAt', limit: 10_000, after: null })).items.sort((a, b) => a.seq - b.seq);
}

/** What a repository holds, for showing that a refused write changed nothing. */
async function everything(repo: DutymapRepository) {
  return {
    revisions: await repo.revisions(),
    meta: await repo.getMeta(),
    units: await repo.listUnits(),
    geometry: await repo.loadGeometry(),
    issues: await allIssues(repo),
    g1History: await repo.featureHistory('grids', 'G1'),
    stripHistory: await repo.issueHistory('T-STRIP'),
  };
}

describe(`repository contract on ${TEST_BACKEND}`, () => {
  describe('seed and revisions', () => {
    it('is empty until seeded, then holds the district folder as given, every feature at version 1', async () => {
      const open = await emptyDatabase();
      const repo = await open();
      expect(await repo.isEmpty()).toBe(true);
      const data = apiTestDistrict(new Date(NOW));
      await repo.seed(data, USERS, NOW);
      expect(await repo.isEmpty()).toBe(false);
      expect(await repo.getMeta()).toEqual(data.meta);
      expect(await repo.listUnits()).toEqual(data.units);
      const geometry = await repo.loadGeometry();
      for (const layer of ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const) {
        expect(geometry[layer], layer).toEqual(data[layer].map((f) => ({ ...f, properties: { ...f.properties, version: 1 } })));
      }
      const g2 = (await repo.getFeature('grids', 'G2'))!;
      expect(g2).toEqual({ layer: 'grids', version: 1, feature: geometry.grids[1] });
      const [history] = await repo.featureHistory('grids', 'G2');
      expect(history).toMatchObject({ layer: 'grids', featureId: 'G2', version: 1, action: 'seed', at: NOW, by: 'seed', note: '初始数据：由区划数据文件夹导入', before: null, after: g2.feature, reassignedIssueIds: [] });
      for (const seed of data.issues) {
        const issue = (await repo.getIssue(seed.id))!;
        const p = seed.properties;
        expect(issue).toMatchObject({ id: seed.id, code: p.code, lon: seed.geometry.coordinates[0], lat: seed.geometry.coordinates[1], category: p.category, description: p.description, source: p.source, severity: p.severity, reportedAt: p.reportedAt, reportedBy: 'inspector', deadline: p.deadline, status: p.status, unitId: p.unitId, engineOwned: true, assignment: p.assignment, closedAt: p.closedAt, photos: p.photos, version: 1 });
        expect(await repo.issueHistory(seed.id)).toEqual(p.history);
      }
      expect((await repo.listUsers()).map((u) => u.username)).toEqual(['admin', 'unit']);
      expect(await repo.findUserByUsername('unit')).toEqual(stored(USERS[1]!));
    });

    it('starts every counter at 1 and the epoch at the seed time; a second seed is refused and changes nothing', async () => {
      const { repo } = await seeded();
      const revisions = await repo.revisions();
      expect(revisions).toEqual({ epoch: NOW_MS, data: 1, zones: 1, layers: { streets: 1, communities: 1, grids: 1, roads: 1, checkpoints: 1, excluded: 1, outline: 1 } });
      expect(await repo.dataRevision()).toBe(1);
      const before = await everything(repo);
      await expect(repo.seed(apiTestDistrict(new Date(NOW)), [], later(1))).rejects.toThrow();
      expect(await everything(repo)).toEqual(before);
    });

    it('keeps the version a seeded feature carries, and an owner that differs from the engine as a person’s decision', async () => {
      const data = apiTestDistrict(new Date(NOW));
      data.roads[0] = { ...data.roads[0]!, properties: { ...data.roads[0]!.properties, version: 3 } as never };
      const designated = data.issues.find((i) => i.id === 'T-G2')!;
      designated.properties.unitId = 'U-office';
      const { repo } = await seeded(data);
      expect((await repo.getFeature('roads', 'R1'))!.version).toBe(3);
      expect((await repo.featureHistory('roads', 'R1'))[0]!.version).toBe(3);
      expect((await repo.getIssue('T-G2'))!).toMatchObject({ unitId: 'U-office', engineOwned: false });
      expect((await repo.engineOwnedOpenIssues()).map((i) => i.id)).not.toContain('T-G2');
    });
  });

  describe('zone edits', () => {
    it('updates a feature: version + 1 in the record and its JSON, a history row with before and after, the revisions of that layer, the zones and the data', async () => {
      const { repo } = await seeded();
      const before = await repo.revisions();
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const applied = await repo.applyZoneEdit(gridEdit({ upserts: [rename(g1.feature, '东一网格')], expectedVersions: { G1: 1 }, note: '改名' }));
      expect(applied.features).toEqual([{ id: 'G1', version: 2, deleted: false }]);
      const stored = (await repo.getFeature('grids', 'G1'))!;
      expect(stored.version).toBe(2);
      expect(stored.feature.properties).toMatchObject({ name: '东一网格', version: 2 });
      const history = await repo.featureHistory('grids', 'G1');
      expect(history.map((h) => [h.version, h.action])).toEqual([[1, 'seed'], [2, 'update']]);
      expect(history[1]).toMatchObject({ editId: applied.editId, at: later(1), by: 'planner', note: '改名', before: g1.feature, after: stored.feature, reassignedIssueIds: [] });
      expect(history[1]!.seq).toBeGreaterThan(history[0]!.seq);
      expect(await repo.revisions()).toEqual({ ...before, data: before.data + 1, zones: before.zones + 1, layers: { ...before.layers, grids: before.layers.grids + 1 } });
    });

    it('creates at the end of the layer, deletes (kept out of reads, history kept), and a re-created id continues its versions at its old place', async () => {
      const { repo } = await seeded();
      const g3 = (await repo.getFeature('grids', 'G3'))!;
      const g9: AnyFeature = { type: 'Feature', id: 'G9', geometry: box(120.02, 30.0, 120.025, 30.005), properties: { code: 'G9', name: 'G9 新', parentId: 'C3', ownerUnitId: 'U-g6' } };
      const first = await repo.applyZoneEdit(gridEdit({ upserts: [g9], removes: ['G3'], expectedVersions: { G3: 1 } }));
      expect(first.features).toEqual([{ id: 'G9', version: 1, deleted: false }, { id: 'G3', version: 2, deleted: true }]);
      expect(await repo.getFeature('grids', 'G3')).toBeNull();
      expect((await repo.loadGeometry()).grids.map((g) => g.id)).toEqual(['G1', 'G2', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9']);
      expect((await repo.featureHistory('grids', 'G3')).at(-1)).toMatchObject({ version: 2, action: 'delete', before: g3.feature, after: null });
      expect((await repo.featureHistory('grids', 'G9'))[0]).toMatchObject({ version: 1, action: 'create', before: null });
      // Removing what is gone is refused; re-creating it continues at version 3, in its old place.
      await expect(repo.applyZoneEdit(gridEdit({ removes: ['G3'], expectedVersions: {} }))).rejects.toBeInstanceOf(MissingRecordError);
      await expect(repo.applyZoneEdit(gridEdit({ removes: ['G404'], expectedVersions: {} }))).rejects.toBeInstanceOf(MissingRecordError);
      const again = await repo.applyZoneEdit(gridEdit({ upserts: [g3.feature], expectedVersions: {} }));
      expect(again.features).toEqual([{ id: 'G3', version: 3, deleted: false }]);
      expect((await repo.featureHistory('grids', 'G3')).at(-1)).toMatchObject({ version: 3, action: 'create', before: null });
      expect((await repo.loadGeometry()).grids.map((g) => g.id)).toEqual(['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9']);
    });

    it('reads only what an edit changed when given the version read before (same epoch): the rest is taken over as it is, and the result is what a full read gives', async () => {
      const { repo } = await seeded();
      const before = await repo.loadGeometry();
      const { epoch } = await repo.revisions();
      const byId = new Map(LAYER_LIST.flatMap((layer) => before[layer]!.map((f) => [`${layer}/${f.id}`, f] as const)));
      const reuse = (at: number) => ({ epoch: at, feature: (layer: LayerName, id: string) => byId.get(`${layer}/${id}`) });
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const g9: AnyFeature = { type: 'Feature', id: 'G9', geometry: box(120.02, 30.0, 120.025, 30.005), properties: { code: 'G9', name: 'G9 新', parentId: 'C3', ownerUnitId: 'U-g6' } };
      await repo.applyZoneEdit(gridEdit({ upserts: [rename(g1.feature, '东一网格'), g9], removes: ['G3'], expectedVersions: { G1: 1, G3: 1 } }));
      const full = await repo.loadGeometry();
      const reused = await repo.loadGeometry(reuse(epoch));
      expect(reused).toEqual(full);
      expect(reused.grids.map((g) => g.id)).toEqual(['G1', 'G2', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9']);
      expect(reused.grids[0]!.properties).toMatchObject({ name: '东一网格', version: 2 });
      // Unchanged features are the very objects read before; the changed and the new are read anew.
      for (const layer of LAYER_LIST) {
        for (const feature of reused[layer]!) {
          const changed = layer === 'grids' && (feature.id === 'G1' || feature.id === 'G9');
          if (changed) expect(feature, `${layer}/${feature.id}`).not.toBe(byId.get(`${layer}/${feature.id}`));
          else expect(feature, `${layer}/${feature.id}`).toBe(byId.get(`${layer}/${feature.id}`));
        }
      }
      // Another epoch's features are never taken over, whatever their versions.
      const elsewhere = await repo.loadGeometry(reuse(epoch + 1));
      expect(elsewhere).toEqual(full);
      expect(elsewhere.streets[0]).not.toBe(byId.get(`streets/${elsewhere.streets[0]!.id}`));
    });

    it('refuses stale versions (a deleted feature is at null) with every conflict, before writing anything', async () => {
      const { repo } = await seeded();
      await repo.applyZoneEdit(gridEdit({ removes: ['G4'], expectedVersions: { G4: 1 } }));
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const c1 = (await repo.getFeature('communities', 'C1'))!;
      const before = await everything(repo);
      const stale = repo.applyZoneEdit({
        kind: 'edit', by: 'planner', at: later(2), note: null, reassignments: [],
        changes: [
          { layer: 'communities', upserts: [rename(c1.feature, '改')], removes: [], expectedVersions: { C1: 1 } },
          { layer: 'grids', upserts: [rename(g1.feature, '改')], removes: [], expectedVersions: { G1: 2, G4: 1, G2: 1 } },
        ],
      });
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ conflicts: [{ id: 'G1', expected: 2, actual: 1 }, { id: 'G4', expected: 1, actual: null }] });
      expect(await everything(repo)).toEqual(before);
      // The same edit at the right versions goes through.
      const g1Again = await repo.applyZoneEdit(gridEdit({ upserts: [g1.feature], expectedVersions: { G1: 1 } }));
      expect(g1Again.features).toEqual([{ id: 'G1', version: 2, deleted: false }]);
    });

    it('saves several layers in one edit ("multi"), and a rollback marks every row it writes as rollback', async () => {
      const { repo } = await seeded();
      const before = await repo.revisions();
      const c1 = (await repo.getFeature('communities', 'C1'))!;
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const g2 = (await repo.getFeature('grids', 'G2'))!;
      const multi = await repo.applyZoneEdit({
        kind: 'edit', by: 'planner', at: later(1), note: '一起保存', reassignments: [],
        changes: [
          { layer: 'communities', upserts: [rename(c1.feature, 'C1 新')], removes: [], expectedVersions: { C1: 1 } },
          { layer: 'grids', upserts: [rename(g1.feature, 'G1 新')], removes: ['G2'], expectedVersions: { G1: 1, G2: 1 } },
        ],
      });
      expect(multi.features).toEqual([{ id: 'C1', version: 2, deleted: false }, { id: 'G1', version: 2, deleted: false }, { id: 'G2', version: 2, deleted: true }]);
      const after = await repo.revisions();
      expect(after).toEqual({ ...before, data: before.data + 1, zones: before.zones + 1, layers: { ...before.layers, communities: before.layers.communities + 1, grids: before.layers.grids + 1 } });
      const editRows = await repo.editsAfter('communities', 'C1', 1);
      expect(editRows.map((h) => [h.layer, h.featureId, h.action, h.editId])).toEqual([
        ['communities', 'C1', 'update', multi.editId],
        ['grids', 'G1', 'update', multi.editId],
        ['grids', 'G2', 'delete', multi.editId],
      ]);
      const rollback = await repo.applyZoneEdit({
        kind: 'rollback', by: 'planner', at: later(2), note: '撤回', reassignments: [],
        changes: [
          { layer: 'communities', upserts: [c1.feature], removes: [], expectedVersions: { C1: 2 } },
          { layer: 'grids', upserts: [g1.feature, g2.feature], removes: [], expectedVersions: { G1: 2 } },
        ],
      });
      expect(rollback.features).toEqual([{ id: 'C1', version: 3, deleted: false }, { id: 'G1', version: 3, deleted: false }, { id: 'G2', version: 3, deleted: false }]);
      expect((await repo.featureHistory('grids', 'G2')).map((h) => h.action)).toEqual(['seed', 'delete', 'rollback']);
      expect((await repo.getFeature('grids', 'G1'))!.feature.properties.name).toBe('G1 测试');
      const undone = await repo.applyZoneEdit(gridEdit({ kind: 'rollback', removes: ['G2'], expectedVersions: { G2: 3 } }));
      expect(undone.features).toEqual([{ id: 'G2', version: 4, deleted: true }]);
      expect((await repo.featureHistory('grids', 'G2')).at(-1)).toMatchObject({ action: 'rollback', after: null });
    });

    it('lists the rows of every edit after a version of a feature, with the neighbours those edits changed', async () => {
      const { repo } = await seeded();
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const g2 = (await repo.getFeature('grids', 'G2'))!;
      const both = await repo.applyZoneEdit(gridEdit({ upserts: [rename(g1.feature, 'a'), rename(g2.feature, 'b')], expectedVersions: { G1: 1, G2: 1 } }));
      await repo.applyZoneEdit(gridEdit({ upserts: [rename(g2.feature, 'c')], expectedVersions: { G2: 2 } }));
      const rows = await repo.editsAfter('grids', 'G1', 1);
      expect(rows.map((r) => [r.editId, r.featureId, r.version])).toEqual([[both.editId, 'G1', 2], [both.editId, 'G2', 2]]);
      expect(await repo.editsAfter('grids', 'G1', 2)).toEqual([]);
      expect((await repo.editsAfter('grids', 'G2', 1)).map((r) => [r.featureId, r.version])).toEqual([['G1', 2], ['G2', 2], ['G2', 3]]);
    });

    it('reassigns open issues with the edit: owner and assignment replaced, deadline and closing kept, version + 1, history appended', async () => {
      const { repo } = await seeded();
      const strip = (await repo.getIssue('T-STRIP'))!;
      const history = await repo.issueHistory('T-STRIP');
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const reassignment = reassignToG1(strip);
      const applied = await repo.applyZoneEdit(gridEdit({ upserts: [g1.feature], expectedVersions: { G1: 1 }, reassignments: [reassignment] }));
      const moved = (await repo.getIssue('T-STRIP'))!;
      expect(moved).toEqual({ ...strip, unitId: 'U-s1', assignment: reassignment.assignment, engineOwned: true, version: 2 });
      expect(await repo.issueHistory('T-STRIP')).toEqual([...history, reassignment.entry]);
      expect((await repo.featureHistory('grids', 'G1')).at(-1)).toMatchObject({ editId: applied.editId, reassignedIssueIds: ['T-STRIP'] });
      expect((await repo.listIssues({ nowMs: NOW_MS, gridId: 'G1', text: 'T-STRIP' }, { sort: 'reportedAt', limit: 5, after: null })).items.map((i) => i.id)).toEqual(['T-STRIP']);
      expect(await totalOf(repo, { nowMs: NOW_MS, gridId: 'G1', text: 'T-STRIP' })).toBe(1);
    });

    it('a reassignment of a stale or missing issue refuses the whole edit: features, issues and revisions as they were', async () => {
      const { repo } = await seeded();
      const strip = (await repo.getIssue('T-STRIP'))!;
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const before = await everything(repo);
      const edit = (reassignments: IssueReassignment[]) => gridEdit({ upserts: [rename(g1.feature, '改名')], expectedVersions: { G1: 1 }, reassignments });
      await expect(repo.applyZoneEdit(edit([reassignToG1({ ...strip, version: 7 })]))).rejects.toBeInstanceOf(VersionConflictError);
      await expect(repo.applyZoneEdit(edit([reassignToG1(strip), reassignToG1({ ...strip, id: 'NOPE' })]))).rejects.toBeInstanceOf(MissingRecordError);
      expect(await everything(repo)).toEqual(before);
      expect((await repo.getFeature('grids', 'G1'))!.feature.properties.name).toBe('G1 测试');
      expect(await repo.featureHistory('grids', 'G1')).toHaveLength(1);
    });

    it('refuses an edit planned on an older data revision (StaleSnapshotError) and takes it on the current one', async () => {
      const { repo } = await seeded();
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      const planned = await repo.dataRevision();
      await repo.createIssue(newIssue(), reportEntry());
      const before = await everything(repo);
      const stale = repo.applyZoneEdit(gridEdit({ upserts: [g1.feature], expectedVersions: { G1: 1 }, plannedAtData: planned }));
      await expect(stale).rejects.toBeInstanceOf(StaleSnapshotError);
      await expect(stale).rejects.toMatchObject({ what: 'data' });
      expect(await everything(repo)).toEqual(before);
      await repo.applyZoneEdit(gridEdit({ upserts: [g1.feature], expectedVersions: { G1: 1 }, plannedAtData: planned + 1 }));
      expect((await repo.getFeature('grids', 'G1'))!.version).toBe(2);
    });
  });

  describe('replacing layers with an import', () => {
    /** The grids of the district after an import: G1 renamed, G8 gone, G3 (deleted before) and G9 new. */
    async function importedGrids(repo: DutymapRepository): Promise<AnyFeature[]> {
      const seededGrid = async (id: string) => (await repo.featureHistory('grids', id))[0]!.after!;
      const g1 = await seededGrid('G1');
      const g9: AnyFeature = { type: 'Feature', id: 'G9', geometry: box(120.02, 30.0, 120.025, 30.005), properties: { code: 'G9', name: 'G9 导入', parentId: 'C3', ownerUnitId: 'U-g6' } };
      const kept = await Promise.all(['G2', 'G3', 'G4', 'G5', 'G6', 'G7'].map(seededGrid));
      return [{ ...g1, properties: { ...g1.properties, name: 'G1 导入' } }, ...kept, g9];
    }

    it('replaces whole layers in one write: missing features deleted, the others updated or created with their versions continued, units upserted, meta replaced', async () => {
      const { repo } = await seeded();
      await repo.applyZoneEdit(gridEdit({ removes: ['G3'], expectedVersions: { G3: 1 } }));
      const before = await repo.revisions();
      const grids = await importedGrids(repo);
      const units = [...(await repo.listUnits()).map((u) => (u.id === 'U-g2' ? { ...u, name: 'G2 新名' } : u)), { id: 'U-new', name: '新单位', kind: 'other' as const }];
      const meta = { ...(await repo.getMeta()), name: '导入区' };
      const strip = (await repo.getIssue('T-STRIP'))!;
      const replaced = await repo.replaceDistrictLayers({ meta, units, layers: { grids }, reassignments: [reassignToG1(strip, later(3))], by: 'importer', at: later(3), note: '导入' });
      expect(replaced.counts).toEqual({ grids: { created: 2, updated: 6, deleted: 1 } });
      expect(await repo.getMeta()).toEqual(meta);
      expect(await repo.listUnits()).toEqual(units);
      const stored = await repo.loadGeometry();
      expect(stored.grids.map((g) => [g.id, g.properties.version])).toEqual([['G1', 2], ['G2', 2], ['G3', 3], ['G4', 2], ['G5', 2], ['G6', 2], ['G7', 2], ['G9', 1]]);
      expect(stored.grids[0]!.properties.name).toBe('G1 导入');
      expect(await repo.getFeature('grids', 'G8')).toBeNull();
      expect((await repo.featureHistory('grids', 'G8')).at(-1)).toMatchObject({ editId: replaced.editId, version: 2, action: 'delete', after: null, by: 'importer', note: '导入', reassignedIssueIds: ['T-STRIP'] });
      expect((await repo.featureHistory('grids', 'G3')).map((h) => h.action)).toEqual(['seed', 'delete', 'create']);
      expect((await repo.featureHistory('grids', 'G1')).at(-1)).toMatchObject({ action: 'update', version: 2 });
      expect((await repo.getIssue('T-STRIP'))!).toMatchObject({ unitId: 'U-s1', version: 2 });
      expect(await repo.revisions()).toEqual({ ...before, data: before.data + 1, zones: before.zones + 1, layers: { ...before.layers, grids: before.layers.grids + 1 } });
      expect((await repo.getFeature('streets', 'S1'))!.version).toBe(1);
    });

    it('is all or nothing: a failing reassignment leaves meta, units, features, issues and revisions as they were', async () => {
      const { repo } = await seeded();
      const before = await everything(repo);
      const strip = (await repo.getIssue('T-STRIP'))!;
      const change = { meta: { ...before.meta, name: '导入区' }, units: [...before.units, { id: 'U-new', name: '新单位', kind: 'other' as const }], layers: { grids: await importedGrids(repo) }, by: 'importer', at: later(3), note: null };
      await expect(repo.replaceDistrictLayers({ ...change, reassignments: [reassignToG1({ ...strip, version: 9 })] })).rejects.toBeInstanceOf(VersionConflictError);
      await expect(repo.replaceDistrictLayers({ ...change, reassignments: [reassignToG1({ ...strip, id: 'NOPE' })] })).rejects.toBeInstanceOf(MissingRecordError);
      expect(await everything(repo)).toEqual(before);
    });

    it('refuses an import planned on an older data revision (StaleSnapshotError)', async () => {
      const { repo } = await seeded();
      const planned = await repo.dataRevision();
      const change = { meta: null, units: await repo.listUnits(), layers: { grids: await importedGrids(repo) }, reassignments: [], by: 'importer', at: later(3), note: null };
      await repo.createUser({ ...USERS[0]!, id: 'u-x', username: 'x' }, later(1)); // users are not data: no conflict
      await repo.createIssue(newIssue(), reportEntry());
      const before = await everything(repo);
      await expect(repo.replaceDistrictLayers({ ...change, plannedAtData: planned })).rejects.toBeInstanceOf(StaleSnapshotError);
      expect(await everything(repo)).toEqual(before);
      expect((await repo.replaceDistrictLayers({ ...change, plannedAtData: planned + 1 })).counts.grids).toEqual({ created: 1, updated: 7, deleted: 1 });
    });

    it('fills an empty database (the first import), setting the epoch', async () => {
      const open = await emptyDatabase();
      const repo = await open();
      const data = apiTestDistrict(new Date(NOW));
      const layers = { streets: data.streets, communities: data.communities, grids: data.grids, roads: data.roads, checkpoints: data.checkpoints } as unknown as Record<LayerName, AnyFeature[]>;
      const replaced = await repo.replaceDistrictLayers({ meta: data.meta, units: data.units, layers, reassignments: [], by: 'importer', at: NOW, note: null });
      expect(replaced.counts.grids).toEqual({ created: 8, updated: 0, deleted: 0 });
      expect(await repo.isEmpty()).toBe(false);
      expect(await repo.revisions()).toEqual({ epoch: NOW_MS, data: 1, zones: 1, layers: { streets: 1, communities: 1, grids: 1, roads: 1, checkpoints: 1, excluded: 0, outline: 0 } });
      expect((await repo.loadGeometry()).grids.map((g) => g.id)).toEqual(data.grids.map((g) => g.id));
    });
  });

  describe('issues', () => {
    it('creates issues with ids WT<day>-<number>, stepping past ids taken already, code = id, version 1, the data revision bumped', async () => {
      const { repo } = await seeded();
      const data = await repo.dataRevision();
      const day = later(30); // 2026-01-11
      // Eight seeded issues and this one: the next number would be 10, which this id has taken.
      const taken = await repo.createIssue(newIssue({ id: 'WT20260111-00010', reportedAt: day }), reportEntry(day));
      expect([taken.id, taken.code]).toEqual(['WT20260111-00010', 'WT20260111-00010']);
      const first = await repo.createIssue(newIssue({ reportedAt: day }), reportEntry(day));
      const second = await repo.createIssue(newIssue({ reportedAt: day, code: '12345-0001' }), reportEntry(day));
      expect([first.id, first.code]).toEqual(['WT20260111-00011', 'WT20260111-00011']);
      expect([second.id, second.code]).toEqual(['WT20260111-00012', '12345-0001']);
      expect(first.seq).toBeGreaterThan(taken.seq);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(second).toEqual({ ...newIssue({ reportedAt: day }), id: second.id, code: '12345-0001', seq: second.seq, version: 1 });
      expect(await repo.issueHistory(second.id)).toEqual([reportEntry(day)]);
      expect(await repo.dataRevision()).toBe(data + 3);
      await expect(repo.createIssue(newIssue({ id: 'WT20260111-00010' }), reportEntry())).rejects.toThrow();
      expect(await repo.dataRevision()).toBe(data + 3);
    });

    it('bounds the ledger’s size from above without counting it: at least every issue, and past each new one', async () => {
      const { repo } = await seeded();
      const total = async () => Object.values(((await repo.countIssues({ nowMs: NOW_MS })) as { byStatus: Record<string, number> }).byStatus).reduce((a, b) => a + b, 0);
      expect(await repo.issueCountBound()).toBeGreaterThanOrEqual(await total());
      const created = await repo.createIssue(newIssue({ reportedAt: later(30) }), reportEntry(later(30)));
      expect(await repo.issueCountBound()).toBeGreaterThanOrEqual(Math.max(await total(), created.seq));
    });

    it('refuses an issue assigned on zones that changed since (StaleSnapshotError), stores it on the current ones', async () => {
      const { repo } = await seeded();
      const zones = (await repo.revisions()).zones;
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      await repo.applyZoneEdit(gridEdit({ upserts: [g1.feature], expectedVersions: { G1: 1 } }));
      const count = (await allIssues(repo)).length;
      await expect(repo.createIssue(newIssue(), reportEntry(), zones)).rejects.toMatchObject({ name: 'StaleSnapshotError', what: 'zones' });
      expect(await allIssues(repo)).toHaveLength(count);
      expect((await repo.createIssue(newIssue(), reportEntry(), zones + 1)).version).toBe(1);
    });

    it('stores an Open311 intake with the issue and counts the key’s use', async () => {
      const { repo } = await seeded();
      await repo.createApiKey({ id: 'k1', name: '12345 热线', prefix: 'dmk_ab', keyHash: 'h1', source: 'citizen_complaint', createdAt: later(1), createdBy: 'admin' });
      const intake = { apiKeyId: 'k1', email: 'a@example.com', firstName: '小', lastName: '王', phone: '13900000000', deviceId: null, accountId: null, addressString: '东湖路 1 号', addressId: null, at: later(2) };
      const issue = await repo.createIssue(newIssue({ source: 'citizen_complaint' }), reportEntry(), undefined, intake);
      await repo.createIssue(newIssue({ source: 'citizen_complaint' }), reportEntry(), undefined, { ...intake, at: later(3) });
      expect((await repo.getIssue(issue.id))!.source).toBe('citizen_complaint');
      expect((await repo.findApiKeyByHash('h1'))!).toMatchObject({ requestCount: 2, lastUsedAt: later(3) });
    });

    it('updates an issue at its version: fields, open state and history; a stale version or unknown id is refused', async () => {
      const { repo } = await seeded();
      const issue = (await repo.getIssue('T-G1'))!;
      const data = await repo.dataRevision();
      const update = { status: 'closed' as const, unitId: 'U-office', engineOwned: false, assignment: issue.assignment, deadline: later(10), closedAt: later(5) };
      const entry: IssueHistoryEntry = { at: later(5), action: 'verify', from: 'assigned', to: 'closed', by: 'office', note: '已办结', unitId: 'U-office' };
      const updated = await repo.updateIssue('T-G1', 1, update, entry);
      expect(updated).toEqual({ ...issue, ...update, version: 2 });
      expect(await repo.getIssue('T-G1')).toEqual(updated);
      expect((await repo.issueHistory('T-G1')).at(-1)).toEqual(entry);
      expect(await repo.dataRevision()).toBe(data + 1);
      const stale = repo.updateIssue('T-G1', 1, update, entry);
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ conflicts: [{ id: 'T-G1', expected: 1, actual: 2 }] });
      await expect(repo.updateIssue('NOPE', 1, update, entry)).rejects.toBeInstanceOf(MissingRecordError);
      expect(await repo.issueHistory('T-G1')).toHaveLength(2);
      expect(await repo.dataRevision()).toBe(data + 1);
      expect((await repo.engineOwnedOpenIssues()).map((i) => i.id)).not.toContain('T-G1');
    });

    it('answers the engine-owned open issues, the open deadlines and the open and overdue counts per feature', async () => {
      const { repo } = await seeded();
      const designated = (await repo.getIssue('T-G2'))!;
      await repo.updateIssue('T-G2', 1, { ...designated, engineOwned: false }, { at: later(1), action: 'designate', from: designated.status, to: designated.status, by: 'office' });
      await repo.createIssue(newIssue({ deadline: later(-2) }), reportEntry());
      const issues = await allIssues(repo);
      const open = issues.filter((i) => i.status !== 'closed');
      expect((await repo.engineOwnedOpenIssues()).map((i) => i.id)).toEqual(open.filter((i) => i.engineOwned).map((i) => i.id));
      expect([...(await repo.openDeadlines())]).toEqual(open.map((i) => Date.parse(i.deadline)).sort((a, b) => a - b));
      // The next open deadline at or after a time: each deadline itself, past the last one null.
      const sorted = open.map((i) => Date.parse(i.deadline)).sort((a, b) => a - b);
      expect(await repo.nextOpenDeadline(sorted[0]! - 1)).toBe(sorted[0]);
      expect(await repo.nextOpenDeadline(sorted[0]!)).toBe(sorted[0]);
      expect(await repo.nextOpenDeadline(sorted[0]! + 1)).toBe(sorted.find((d) => d >= sorted[0]! + 1) ?? null);
      expect(await repo.nextOpenDeadline(sorted.at(-1)! + 1)).toBeNull();
      for (const [layer, key] of [['streets', 'streetId'], ['communities', 'communityId'], ['grids', 'gridId'], ['roads', 'roadId'], ['checkpoints', 'checkpointId']] as const) {
        const expected = new Map<string, { open: number; overdue: number }>();
        for (const i of open) {
          const id = i.assignment[key];
          if (id === null) continue;
          const count = expected.get(id) ?? { open: 0, overdue: 0 };
          count.open++;
          if (Date.parse(i.deadline) < NOW_MS) count.overdue++;
          expected.set(id, count);
        }
        expect(await repo.countOpenByFeature(layer, NOW_MS), layer).toEqual(expected);
      }
      expect((await repo.countOpenByFeature('grids', NOW_MS)).get('G1')).toEqual({ open: 2, overdue: 1 });
    });

    describe('the ledger: every filter, every sort, cursor paging and eachIssue', () => {
      /** The reference meaning of a filter (IssueFilter's doc comments), over all issues. */
      function matches(i: IssueRecord, f: IssueFilter): boolean {
        const a = i.assignment;
        const overdue = i.status !== 'closed' && Date.parse(i.deadline) < f.nowMs;
        const text = f.text?.toLowerCase();
        const reportedMs = Date.parse(i.reportedAt);
        return (
          (!f.status?.length || f.status.includes(i.status)) &&
          (!f.category?.length || f.category.includes(i.category)) &&
          (f.unitId === undefined || i.unitId === f.unitId) &&
          (f.streetId === undefined || a.streetId === f.streetId) &&
          (f.communityId === undefined || a.communityId === f.communityId) &&
          (f.gridId === undefined || a.gridId === f.gridId) &&
          (f.roadId === undefined || a.roadId === f.roadId) &&
          (f.checkpointId === undefined || a.checkpointId === f.checkpointId) &&
          (f.reportedBy === undefined || i.reportedBy === f.reportedBy) &&
          (f.overdue === undefined || overdue === f.overdue) &&
          (!text || [i.code, i.description, i.id].some((s) => s.toLowerCase().includes(text))) &&
          (!f.bbox || (i.lon >= f.bbox[0] && i.lon <= f.bbox[2] && i.lat >= f.bbox[1] && i.lat <= f.bbox[3])) &&
          (f.reportedFromMs === undefined || reportedMs >= f.reportedFromMs) &&
          (f.reportedToMs === undefined || reportedMs < f.reportedToMs)
        );
      }
      const sortValue = (i: IssueRecord, sort: IssueSort) => Date.parse(sort.endsWith('reportedAt') ? i.reportedAt : i.deadline);
      const inOrder = (issues: IssueRecord[], sort: IssueSort) => {
        const sign = sort.startsWith('-') ? -1 : 1;
        return [...issues].sort((a, b) => sign * (sortValue(a, sort) - sortValue(b, sort) || a.seq - b.seq));
      };

      const FILTERS: [string, Omit<IssueFilter, 'nowMs'>][] = [
        ['one status', { status: ['assigned'] }],
        ['two statuses', { status: ['closed', 'verifying'] }],
        ['a category', { category: ['greenery_damage', 'exposed_garbage'] }],
        ['the owner', { unitId: 'U-s1' }],
        ['a street', { streetId: 'S2' }],
        ['a community', { communityId: 'C1' }],
        ['a grid', { gridId: 'G2' }],
        ['a road', { roadId: 'R1' }],
        ['a checkpoint', { checkpointId: 'P1' }],
        ['the reporter (an inspector’s own reports)', { reportedBy: 'grid-staff' }],
        ['the reporter, with statuses', { reportedBy: 'inspector', status: ['assigned', 'rectifying', 'verifying'] }],
        ['overdue', { overdue: true }],
        ['not overdue', { overdue: false }],
        // Overdue by report time walks the report-time index past the open issues not yet due;
        // not overdue reads the deadline range and sorts it (issue-query.ts readsByRange).
        ['overdue, some open statuses, with text (the text index read once for every status)', { overdue: true, status: ['assigned', 'rectifying', 'closed'], text: '巡查' }],
        ['not overdue, an owner', { overdue: false, unitId: 'U-s1' }],
        ['text in the description', { text: '巡查' }],
        ['text in the id, any ASCII case', { text: 't-g' }],
        ['text in the code', { text: '12345-' }],
        ['a % in the text matches itself', { text: '100%' }],
        ['an _ in the text matches itself', { text: '_达' }],
        ['a \\ in the text matches itself', { text: 'a\\b' }],
        ['a bounding box, edges included', { bbox: [120.0025, 30.0, 120.0075, 30.0025] }],
        ['reported from (included)', { reportedFromMs: Date.parse(later(4)) }],
        ['reported before (excluded)', { reportedToMs: Date.parse(later(4)) }],
        ['all together', { status: ['assigned', 'rectifying'], category: ['damaged_facility'], streetId: 'S1', overdue: false, text: '问题', bbox: [120.0, 30.0, 120.01, 30.01], reportedFromMs: NOW_MS - 30 * 24 * HOUR, reportedToMs: Date.parse(later(5)) }],
      ];

      async function ledger() {
        const { repo } = await seeded();
        const p1 = { rule: 'checkpoint' as const, unitId: 'U-p1', streetId: 'S2', communityId: 'C3', gridId: 'G6', roadId: null, checkpointId: 'P1', distanceM: 3, candidates: [] };
        // Same report times (ties broken by seq), text with LIKE wildcards, a checkpoint issue.
        await repo.createIssue(newIssue({ description: '巡查发现 完成率 100%_达标', reportedAt: later(4) }), reportEntry(later(4)));
        await repo.createIssue(newIssue({ description: '巡查发现 路径 a\\b', reportedAt: later(4), deadline: later(-1) }), reportEntry(later(4)));
        await repo.createIssue(newIssue({ description: '站台破损', code: '12345-0007', reportedAt: later(4), lon: 120.0175, lat: 30.0025, unitId: 'U-p1', assignment: p1, reportedBy: 'grid-staff' }), reportEntry(later(4)));
        await repo.createIssue(newIssue({ description: '巡查发现 边上', reportedAt: later(6), lon: 120.0075, lat: 30.0025 }), reportEntry(later(6)));
        return { repo, issues: await allIssues(repo) };
      }

      it('every filter keeps exactly the issues its meaning says, in every sort, page by page, and eachIssue agrees', async () => {
        const { repo, issues } = await ledger();
        for (const [name, partial] of FILTERS) {
          const filter = { ...partial, nowMs: NOW_MS };
          const expected = issues.filter((i) => matches(i, filter));
          expect(expected.length, `${name} keeps some issues`).toBeGreaterThan(0);
          expect(expected.length, `${name} drops some issues`).toBeLessThan(issues.length);
          for (const sort of ['reportedAt', '-reportedAt', 'deadline', '-deadline'] as const) {
            const pages: string[][] = [];
            let after = null;
            do {
              const page: Awaited<ReturnType<DutymapRepository['listIssues']>> = await repo.listIssues(filter, { sort, limit: 2, after });
              pages.push(page.items.map((i) => i.id));
              after = page.next;
              if (after) expect(after).toEqual({ value: sortValue(page.items.at(-1)!, sort), seq: page.items.at(-1)!.seq });
            } while (after && pages.length < 50);
            expect(pages.flat(), `${name} ${sort}`).toEqual(inOrder(expected, sort).map((i) => i.id));
            expect(pages.every((p, k) => p.length === 2 || k === pages.length - 1)).toBe(true);
            const visited: IssueRecord[] = [];
            await repo.eachIssue(filter, sort, (i) => visited.push(i));
            expect(visited, `eachIssue ${name} ${sort}`).toEqual(inOrder(expected, sort));
          }
          // The counts: per status, every condition but the statuses; their sum over the filter's statuses is the total.
          const counts = await repo.countIssues(filter);
          const unfiltered = issues.filter((i) => matches(i, { ...filter, status: undefined }));
          const byStatus = Object.fromEntries(ISSUE_STATUSES.map((st) => [st, unfiltered.filter((i) => i.status === st).length]));
          const { atRevision, ...count } = counts as IssueCounts & { atRevision?: number };
          expect(count, name).toEqual({ exact: true, byStatus });
          // Of the revision they were read at (the ledger's counts add later writes to them); a search's are not said to be.
          if (!filter.text) expect(atRevision, name).toBe(await repo.dataRevision());
          expect(await totalOf(repo, filter), name).toBe(expected.length);
          // What the ledger's caches ask of a write (issueMayMatch): the reference's answer, for text a superset of it.
          for (const issue of issues) {
            if (filter.text) {
              if (matches(issue, filter)) expect(issueMayMatch(issue, filter), `${name} ${issue.id}`).toBe(true);
            } else {
              expect(issueMayMatch(issue, filter), `${name} ${issue.id}`).toBe(matches(issue, filter));
            }
          }
        }
      });

      it('the reference agrees with issues picked by hand', async () => {
        const { repo, issues } = await ledger();
        const ids = async (f: Omit<IssueFilter, 'nowMs'>) => (await repo.listIssues({ ...f, nowMs: NOW_MS }, { sort: 'reportedAt', limit: 100, after: null })).items.map((i) => i.id);
        const byDescription = (part: string) => issues.find((i) => i.description.includes(part))!.id;
        expect(await ids({ text: 't-g' })).toEqual(['T-G1', 'T-G2']);
        expect(await ids({ text: '100%' })).toEqual([byDescription('100%')]);
        expect(await ids({ text: '%' })).toEqual([byDescription('100%')]);
        expect(await ids({ text: '_' })).toEqual([byDescription('100%')]);
        expect(await ids({ overdue: true })).toEqual(['T-OVERDUE', byDescription('a\\b')]);
        expect(await ids({ checkpointId: 'P1' })).toEqual([byDescription('站台')]);
        expect(await ids({ status: ['closed'] })).toEqual(['T-CLOSED']);
        expect(await ids({ bbox: [120.0075, 30.0025, 120.0075, 30.0025] })).toEqual(['T-G2', byDescription('边上')]);
        const sameTime = await repo.listIssues({ nowMs: NOW_MS, reportedFromMs: Date.parse(later(4)), reportedToMs: Date.parse(later(5)) }, { sort: '-reportedAt', limit: 10, after: null });
        expect(sameTime.items.map((i) => i.seq)).toEqual([...sameTime.items.map((i) => i.seq)].sort((a, b) => b - a));
        expect(await repo.listIssues({ nowMs: NOW_MS, unitId: 'nobody' }, { sort: 'deadline', limit: 10, after: null })).toEqual({ items: [], next: null });
        expect(await totalOf(repo, { nowMs: NOW_MS, unitId: 'nobody' })).toBe(0);
        // Overdue issues are open ones: asking for closed and overdue finds nothing, and no closed count.
        expect(await repo.listIssues({ nowMs: NOW_MS, status: ['closed'], overdue: true }, { sort: 'reportedAt', limit: 10, after: null })).toEqual({ items: [], next: null });
        expect((await repo.countIssues({ nowMs: NOW_MS, overdue: true })).exact && (await repo.countIssues({ nowMs: NOW_MS, overdue: true }))).toMatchObject({ byStatus: { closed: 0 } });
      });

      it('text search: Chinese words of one, two and more characters, in any field and any ASCII case, fields longer than the index covers, by the index or row by row', async () => {
        const { repo, open } = await seeded();
        const descriptions = ['暴露垃圾堆放', '井盖缺失', '垃圾', 'Road 井盖 broken', '绿化带毁损，垃圾成堆', '😀 表情 😀', `${'长'.repeat(TEXT_INDEX_POSITIONS)}尾巴井盖`];
        for (const [i, description] of descriptions.entries()) {
          await repo.createIssue(newIssue({ description, code: `TX-${i}`, reportedAt: later(10 + i) }), reportEntry(later(10 + i)));
        }
        // The same database through a repository whose text limits are tiny: pages read row by row, counts cut short.
        const tiny = await open({ driveCap: 1, countLimit: 2 });
        const all = await allIssues(repo);
        for (const text of ['垃', '垃圾', '井盖', '圾堆', '暴露垃圾堆放', 'ROAD 井', 'tx-3', '😀', '😀 表', '尾巴', '缺', '垃圾成堆', '不存在的词', '，']) {
          const filter = { nowMs: NOW_MS, text };
          const expected = inOrder(all.filter((i) => matches(i, filter)), '-reportedAt').map((i) => i.id);
          for (const r of [repo, tiny]) {
            const ids = (await r.listIssues(filter, { sort: '-reportedAt', limit: 100, after: null })).items.map((i) => i.id);
            expect(ids, text).toEqual(expected);
            const batches = (await collect(r.issueBatches(filter, '-reportedAt', 2))).flat();
            expect(batches, text).toEqual(expected);
          }
          expect(await totalOf(repo, filter), text).toBe(expected.length);
          const cut = await tiny.countIssues(filter);
          if (expected.length <= 2) expect(cut, text).toMatchObject({ exact: true });
          else expect(cut.exact ? null : cut.atLeast, text).toBeGreaterThanOrEqual(1);
        }
        expect((await tiny.countIssues({ nowMs: NOW_MS, text: '垃圾' })).exact).toBe(false);
      });

      it('text search agrees with a substring test on any text (property)', async () => {
        const { repo, open } = await seeded();
        const alphabet = fc.constantFrom('垃', '圾', '井', '盖', 'a', 'B', '%', '_', '\\', ' ', '1', '𠀋');
        const texts = fc.sample(fc.string({ unit: alphabet, minLength: 0, maxLength: 10 }), { numRuns: 30, seed: 20261207 });
        for (const [i, description] of texts.entries()) {
          await repo.createIssue(newIssue({ description, code: `PX-${i}`, reportedAt: later(20 + i) }), reportEntry(later(20 + i)));
        }
        const tiny = await open({ driveCap: 1, countLimit: 100 });
        const all = await allIssues(repo);
        const query = fc.oneof(
          fc.string({ unit: alphabet, minLength: 1, maxLength: 4 }),
          fc.constantFrom(...texts.filter((t) => t.length > 0)).chain((t) => fc.tuple(fc.nat(t.length - 1), fc.nat(3)).map(([a, n]) => Array.from(t).slice(a, a + n + 1).join(''))),
        );
        await fc.assert(
          fc.asyncProperty(query, async (text) => {
            fc.pre(text.length > 0);
            const filter = { nowMs: NOW_MS, text };
            const expected = all.filter((i) => matches(i, filter)).map((i) => i.id).sort();
            for (const r of [repo, tiny]) {
              expect((await r.listIssues(filter, { sort: 'reportedAt', limit: 500, after: null })).items.map((i) => i.id).sort(), text).toEqual(expected);
            }
            expect(await totalOf(repo, filter), text).toBe(expected.length);
          }),
          { numRuns: 60, seed: 20261207 },
        );
      });

      it('reads an export in batches from one snapshot: a write meanwhile is not in it, and stopping early lets go of it', async () => {
        const { repo } = await seeded();
        const before = await allIssues(repo);
        const batches = repo.issueBatches({ nowMs: NOW_MS }, 'reportedAt', 3);
        const first = await batches.next();
        expect(first.done ? [] : first.value.map((i) => i.id)).toEqual(inOrder(before, 'reportedAt').slice(0, 3).map((i) => i.id));
        // A write while the read is open goes through, and the read goes on from its snapshot.
        const created = await repo.createIssue(newIssue({ reportedAt: later(100) }), reportEntry(later(100)));
        const rest: string[] = [];
        for (let next = await batches.next(); !next.done; next = await batches.next()) {
          expect(next.value.length).toBeLessThanOrEqual(3);
          rest.push(...next.value.map((i) => i.id));
        }
        expect(rest).toEqual(inOrder(before, 'reportedAt').slice(3).map((i) => i.id));
        expect((await allIssues(repo)).map((i) => i.id)).toContain(created.id);
        // Stopping after the first batch (a client that went away) lets go: many times over, and writes still go through.
        for (let k = 0; k < 25; k++) {
          const early = repo.issueBatches({ nowMs: NOW_MS, status: ['assigned', 'closed'] }, '-deadline', 2);
          await early.next();
          await early.return(undefined);
        }
        await repo.createIssue(newIssue({ reportedAt: later(101) }), reportEntry(later(101)));
        expect(await totalOf(repo, { nowMs: NOW_MS })).toBe(before.length + 2);
      });

      it('summary rows and last change times describe every issue', async () => {
        const { repo, issues } = await ledger();
        const rows = await repo.summaryRows();
        const expected = issues.map((i) => ({
          status: i.status, category: i.category, unitId: i.unitId, streetId: i.assignment.streetId, checkpointId: i.assignment.checkpointId,
          reportedMs: Date.parse(i.reportedAt), deadlineMs: Date.parse(i.deadline), closedMs: i.closedAt ? Date.parse(i.closedAt) : null,
        }));
        const key = (r: (typeof expected)[number]) => JSON.stringify(r);
        expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
        const t = (await repo.getIssue('T-G1'))!;
        await repo.updateIssue('T-G1', 1, { ...t, status: 'rectifying' }, { at: later(9), action: 'start', from: 'assigned', to: 'rectifying', by: 'unit' });
        const times = await repo.lastChangeTimes(['T-G1', 'T-G2', 'NOPE']);
        expect(times).toEqual(new Map([['T-G1', later(9)], ['T-G2', issues.find((i) => i.id === 'T-G2')!.reportedAt]]));
        expect(await repo.lastChangeTimes([])).toEqual(new Map());
      });
    });

    it('finds nothing for unknown ids', async () => {
      const { repo } = await seeded();
      expect(await repo.getIssue('NOPE')).toBeNull();
      expect(await repo.issueHistory('NOPE')).toEqual([]);
      expect(await repo.getFeature('grids', 'NOPE')).toBeNull();
      expect(await repo.getFeature('roads', 'G1')).toBeNull();
      expect(await repo.featureHistory('grids', 'NOPE')).toEqual([]);
      expect(await repo.editsAfter('grids', 'NOPE', 0)).toEqual([]);
    });
  });

  describe('users, sessions, API keys, rate limits', () => {
    it('creates users once per name and lists them in the order they came', async () => {
      const { repo } = await seeded();
      const zhang: NewUser = { id: 'u-zhang', username: 'zhang', displayName: '张三', role: 'inspector', unitId: null, passwordHash: 'hash-z' };
      expect(await repo.createUser(zhang, later(1))).toEqual(stored(zhang, later(1)));
      await expect(repo.createUser({ ...zhang, id: 'u-other' }, later(2))).rejects.toBeInstanceOf(DuplicateRecordError);
      expect(await repo.findUserByUsername('zhang')).toEqual(stored(zhang, later(1)));
      expect(await repo.getUser('u-zhang')).toEqual(stored(zhang, later(1)));
      expect(await repo.getUser('u-nobody')).toBeNull();
      expect(await repo.findUserByUsername('nobody')).toBeNull();
      expect((await repo.listUsers()).map((u) => u.id)).toEqual(['u-admin', 'u-unit', 'u-zhang']);
    });

    it('keeps a session until it expires or is deleted', async () => {
      const { repo } = await seeded();
      const expires = NOW_MS + 8 * HOUR;
      await repo.createSession('token-1', 'u-unit', NOW_MS, expires);
      await repo.createSession('token-2', 'u-admin', NOW_MS, expires);
      expect(await repo.sessionUser('token-1', expires - 1)).toEqual(stored(USERS[1]!));
      expect(await repo.sessionUser('token-1', expires)).toBeNull();
      expect(await repo.sessionUser('unknown', NOW_MS)).toBeNull();
      await repo.deleteSession('token-1');
      expect(await repo.sessionUser('token-1', NOW_MS)).toBeNull();
      expect(await repo.sessionUser('token-2', NOW_MS)).toEqual(stored(USERS[0]!));
      // A session made after another expired still works (making it forgets the expired ones).
      await repo.createSession('token-3', 'u-unit', expires + 1, expires + HOUR);
      expect(await repo.sessionUser('token-3', expires + 2)).toEqual(stored(USERS[1]!));
      expect(await repo.sessionUser('token-2', expires + 2)).toBeNull();
    });

    it('changes a user in place: name, role, unit, password; disabling voids their sessions, enabling does not bring them back', async () => {
      const { repo } = await seeded();
      const expires = NOW_MS + 8 * HOUR;
      await repo.createSession('t-unit-1', 'u-unit', NOW_MS, expires);
      await repo.createSession('t-unit-2', 'u-unit', NOW_MS, expires);
      const renamed = await repo.updateUser('u-unit', { displayName: '东湖街道办', role: 'office', unitId: null, passwordHash: 'hash-2' });
      expect(renamed).toEqual({ ...stored(USERS[1]!), displayName: '东湖街道办', role: 'office', unitId: null, passwordHash: 'hash-2' });
      // A role change takes effect in the live sessions (they read the user), which stay.
      expect((await repo.sessionUser('t-unit-1', NOW_MS))!.role).toBe('office');
      const disabled = await repo.updateUser('u-unit', { disabledAt: later(1) });
      expect(disabled.disabledAt).toBe(later(1));
      expect(await repo.sessionUser('t-unit-1', NOW_MS)).toBeNull();
      expect((await repo.findUserByUsername('unit'))!.disabledAt).toBe(later(1));
      // Enabling with endSessions (what an admin's enable does) leaves no old session alive.
      await repo.updateUser('u-unit', { disabledAt: null }, { endSessions: true });
      expect(await repo.sessionUser('t-unit-1', NOW_MS)).toBeNull();
      expect(await repo.sessionUser('t-unit-2', NOW_MS)).toBeNull();
      expect((await repo.getUser('u-unit'))!.disabledAt).toBeNull();
      await expect(repo.updateUser('u-nobody', { displayName: 'x' })).rejects.toBeInstanceOf(MissingRecordError);
    });

    it('ends a user’s sessions (all, or all but one) and counts them; other users keep theirs', async () => {
      const { repo } = await seeded();
      const expires = NOW_MS + 8 * HOUR;
      for (const token of ['a', 'b', 'c']) await repo.createSession(`t-${token}`, 'u-unit', NOW_MS, expires);
      await repo.createSession('t-admin', 'u-admin', NOW_MS, expires);
      expect(await repo.endUserSessions('u-unit', 't-b')).toBe(2);
      expect(await repo.sessionUser('t-a', NOW_MS)).toBeNull();
      expect((await repo.sessionUser('t-b', NOW_MS))!.id).toBe('u-unit');
      await repo.updateUser('u-unit', { passwordHash: 'new' }, { endSessions: true, keepSession: 't-b' });
      expect((await repo.sessionUser('t-b', NOW_MS))!.passwordHash).toBe('new');
      expect(await repo.endUserSessions('u-unit')).toBe(1);
      expect(await repo.endUserSessions('u-unit')).toBe(0);
      expect((await repo.sessionUser('t-admin', NOW_MS))!.id).toBe('u-admin');
    });

    it('refuses a change that leaves no enabled admin (LastAdminError, nothing changed), and allows it once another admin exists', async () => {
      const { repo } = await seeded();
      await repo.createSession('t-admin', 'u-admin', NOW_MS, NOW_MS + HOUR);
      await expect(repo.updateUser('u-admin', { disabledAt: later(1) }, { endSessions: true })).rejects.toBeInstanceOf(LastAdminError);
      await expect(repo.updateUser('u-admin', { role: 'planner' })).rejects.toBeInstanceOf(LastAdminError);
      expect(await repo.getUser('u-admin')).toEqual(stored(USERS[0]!));
      expect((await repo.sessionUser('t-admin', NOW_MS))!.id).toBe('u-admin');
      // A database without any admin (users made on the command line before the first admin) takes other changes.
      await repo.createUser({ id: 'u-2', username: 'li', displayName: '李四', role: 'admin', unitId: null, passwordHash: 'h' }, later(1));
      expect((await repo.updateUser('u-admin', { disabledAt: later(2) })).disabledAt).toBe(later(2));
      await expect(repo.updateUser('u-2', { role: 'viewer' })).rejects.toBeInstanceOf(LastAdminError);
      expect((await repo.updateUser('u-unit', { displayName: '仍可修改' })).displayName).toBe('仍可修改');
    });

    it('stores API keys (newest first), finds them by hash, revokes them once', async () => {
      const { repo } = await seeded();
      const older = await repo.createApiKey({ id: 'k1', name: '12345 热线', prefix: 'dmk_a', keyHash: 'h1', source: 'citizen_complaint', createdAt: later(1), createdBy: 'admin' });
      expect(older).toEqual({ id: 'k1', name: '12345 热线', prefix: 'dmk_a', keyHash: 'h1', source: 'citizen_complaint', createdAt: later(1), createdBy: 'admin', revokedAt: null, lastUsedAt: null, requestCount: 0 });
      await repo.createApiKey({ id: 'k2', name: '督查平台', prefix: 'dmk_b', keyHash: 'h2', source: 'supervision', createdAt: later(2), createdBy: 'admin' });
      expect((await repo.listApiKeys()).map((k) => k.id)).toEqual(['k2', 'k1']);
      expect(await repo.findApiKeyByHash('h1')).toEqual(older);
      expect(await repo.findApiKeyByHash('h3')).toBeNull();
      expect((await repo.revokeApiKey('k1', later(3))).revokedAt).toBe(later(3));
      expect((await repo.revokeApiKey('k1', later(4))).revokedAt).toBe(later(3));
      expect((await repo.findApiKeyByHash('h1'))!.revokedAt).toBe(later(3));
      await expect(repo.revokeApiKey('k404', later(4))).rejects.toBeInstanceOf(MissingRecordError);
    });

    it('counts rate-limit hits per bucket and window, forgets old windows and cleared buckets', async () => {
      const { repo } = await seeded();
      expect(await repo.rateHits('signin:a', 1000)).toBe(0);
      expect(await repo.addRateHit('signin:a', 1000, 0)).toBe(1);
      expect(await repo.addRateHit('signin:a', 1000, 0)).toBe(2);
      expect(await repo.addRateHit('signin:a', 2000, 0)).toBe(1);
      expect(await repo.addRateHit('open311:k1', 2000, 0)).toBe(1);
      expect(await repo.rateHits('signin:a', 1000)).toBe(2);
      // A hit forgets every bucket's windows that started before `forgetBefore`.
      expect(await repo.addRateHit('open311:k1', 3000, 1500)).toBe(1);
      expect(await repo.rateHits('signin:a', 1000)).toBe(0);
      expect(await repo.rateHits('signin:a', 2000)).toBe(1);
      await repo.clearRateHits('signin:a');
      expect(await repo.rateHits('signin:a', 2000)).toBe(0);
      expect(await repo.rateHits('open311:k1', 2000)).toBe(1);
    });
  });

  describe('the audit log', () => {
    const entry = (over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
      at: later(1),
      actor: 'admin',
      actorRole: 'admin',
      address: '203.0.113.7',
      method: 'POST',
      path: '/api/users',
      action: 'user.create',
      outcome: 'ok',
      status: 201,
      targets: ['u-zhang'],
      summary: '创建用户 zhang（督查员）',
      details: { username: 'zhang', role: 'inspector' },
      ...over,
    });

    it('appends records and lists them newest first with everything they hold, page by page', async () => {
      const { repo } = await seeded();
      expect(await repo.listAudit({}, { limit: 10, beforeSeq: null })).toEqual({ items: [], next: null });
      for (let i = 0; i < 5; i++) await repo.appendAudit(entry({ at: later(i), targets: [`t${i}`] }));
      const all = await repo.listAudit({}, { limit: 10, beforeSeq: null });
      expect(all.next).toBeNull();
      expect(all.items.map((r) => r.targets[0])).toEqual(['t4', 't3', 't2', 't1', 't0']);
      expect(all.items[4]).toEqual({ ...entry({ at: later(0), targets: ['t0'] }), seq: all.items[4]!.seq });
      const first = await repo.listAudit({}, { limit: 2, beforeSeq: null });
      expect(first.items.map((r) => r.targets[0])).toEqual(['t4', 't3']);
      const second = await repo.listAudit({}, { limit: 2, beforeSeq: first.next });
      expect(second.items.map((r) => r.targets[0])).toEqual(['t2', 't1']);
      const third = await repo.listAudit({}, { limit: 2, beforeSeq: second.next });
      expect([third.items.map((r) => r.targets[0]), third.next]).toEqual([['t0'], null]);
    });

    it('filters by actor, action or action family, outcome, time range and exact target, alike on every backend', async () => {
      const { repo } = await seeded();
      await repo.appendAudit(entry({ at: later(1), actor: 'admin', action: 'user.create', targets: ['G1'] }));
      await repo.appendAudit(entry({ at: later(2), actor: 'Admin', action: 'user.disable', targets: ['G12', 'grids/G1'] }));
      await repo.appendAudit(entry({ at: later(3), actor: null, actorRole: null, action: 'session.sign_in', outcome: 'refused', status: 401, targets: [], details: null, summary: null }));
      await repo.appendAudit(entry({ at: later(4), actor: 'planner', action: 'zone.edit', targets: ['grids/G1'], outcome: 'denied', status: 403 }));
      const actions = async (filter: Parameters<DutymapRepository['listAudit']>[0]) =>
        (await repo.listAudit(filter, { limit: 50, beforeSeq: null })).items.map((r) => r.action);
      expect(await actions({ actor: 'admin' })).toEqual(['user.create']);
      expect(await actions({ action: 'user.disable' })).toEqual(['user.disable']);
      expect(await actions({ action: 'user.' })).toEqual(['user.disable', 'user.create']);
      expect(await actions({ action: 'user' })).toEqual([]);
      expect(await actions({ action: 'USER.' })).toEqual([]);
      expect(await actions({ outcome: 'refused' })).toEqual(['session.sign_in']);
      expect(await actions({ fromMs: Date.parse(later(2)), toMs: Date.parse(later(4)) })).toEqual(['session.sign_in', 'user.disable']);
      expect(await actions({ target: 'G1' })).toEqual(['user.create']);
      expect(await actions({ target: 'g1' })).toEqual([]);
      expect(await actions({ target: 'grids/G1' })).toEqual(['zone.edit', 'user.disable']);
      expect(await actions({ target: 'grids/G1', actor: 'planner', outcome: 'denied' })).toEqual(['zone.edit']);
      expect(await actions({ actor: 'nobody\0' })).toEqual([]);
    });

    it('keeps U+0000 out (stored as U+FFFD on every backend) and refuses UPDATE, DELETE of its rows', async () => {
      const { repo, raw } = await seeded();
      await repo.appendAudit(entry({ actor: 'ad\0min', path: '/api/x\0' }));
      const [record] = (await repo.listAudit({}, { limit: 1, beforeSeq: null })).items;
      expect([record!.actor, record!.path]).toEqual(['ad\uFFFDmin', '/api/x\uFFFD']);
      await expect(raw("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only/);
      await expect(raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      expect((await repo.listAudit({}, { limit: 5, beforeSeq: null })).items).toEqual([record]);
    });
  });

  describe('what every backend must survive', () => {
    it('finds nothing for keys with U+0000 instead of failing', async () => {
      const { repo } = await seeded();
      expect(await repo.getIssue('T-G1\0')).toBeNull();
      expect(await repo.issueHistory('T-G1\0')).toEqual([]);
      expect(await repo.getFeature('grids', 'G1\0')).toBeNull();
      expect(await repo.featureHistory('grids', 'G1\0')).toEqual([]);
      expect(await repo.findUserByUsername('admin\0')).toBeNull();
      expect(await repo.sessionUser('token\0', NOW_MS)).toBeNull();
      expect(await repo.findApiKeyByHash('h\0')).toBeNull();
      expect(await repo.lastChangeTimes(['T-G1\0'])).toEqual(new Map());
      expect(await repo.listIssues({ nowMs: 0, text: 'a\0b' }, { sort: 'reportedAt', limit: 5, after: null })).toEqual({ items: [], next: null });
      expect(await totalOf(repo, { nowMs: 0, text: 'a\0b' })).toBe(0);
      expect(await totalOf(repo, { nowMs: 0, unitId: 'a\0b' })).toBe(0);
      expect(await collect(repo.issueBatches({ nowMs: 0, text: 'a\0b' }, 'reportedAt'))).toEqual([]);
    });

    it('two repositories on one database: each sees the other’s writes, and of two updates of the same issue version exactly one wins', async () => {
      const { repo: first, open } = await seeded();
      const second = await open();
      const g1 = (await first.getFeature('grids', 'G1'))!;
      await first.applyZoneEdit(gridEdit({ upserts: [rename(g1.feature, '通知')], expectedVersions: { G1: 1 } }));
      expect((await second.getFeature('grids', 'G1'))!.feature.properties.name).toBe('通知');
      expect(await second.revisions()).toEqual(await first.revisions());
      const issue = (await first.getIssue('T-G2'))!;
      const update = { status: 'verifying' as const, unitId: issue.unitId, engineOwned: true, assignment: issue.assignment, deadline: issue.deadline, closedAt: null };
      const entry = { at: later(2), action: 'submit' as const, from: issue.status, to: 'verifying' as const, by: 't' };
      const results = await Promise.allSettled([first.updateIssue('T-G2', issue.version, update, entry), second.updateIssue('T-G2', issue.version, update, entry)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      expect((await second.issueHistory('T-G2')).filter((h) => h.action === 'submit')).toHaveLength(1);
    });
  });
});
