import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { openSqliteRepository } from '../sqlite/sqlite-repository';
import type { Migration } from './migration';
import { MIGRATIONS } from './migration-list';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The released migrations, as databases in use have applied them: version, name and the SHA-256
 * of each backend's SQL. Editing one of them changes nothing in those databases (the version is
 * recorded as done), so it would only make new and old databases differ: add a migration instead.
 */
const RELEASED = [
  {
    version: 1,
    name: 'initial schema',
    sqlite: '6be8af593826c8b78c16498c37a102aa704be6637457dc57958e7f6280c1a8af',
    postgres: '606670c899ce13cc95df50c8c8ce2702fa3bf758af037b4dfe6605f37a64d250',
  },
  {
    version: 2,
    name: 'every table carries the district id',
    sqlite: 'a3145ee59d8f4f6e369f47c408ed709e063e8116a81fb3419476f80cb1f2505d',
    postgres: '51c21786fe3cfe0c3452aa93ba9ff5c7a6022e91045182ec382968cabfff8abe',
  },
  {
    version: 3,
    name: 'Open311 API keys and the contact details of requests filed through them',
    sqlite: '6bda8d1ed04b010caa80876fd612640975dbb0899af5800f8d468ae21e133951',
    postgres: 'a3e600002cb46fe82367c890b4175d14ff6abe2cdbb20004f7a0183406ae6efd',
  },
  {
    version: 4,
    name: 'rate limits shared by every instance',
    sqlite: 'dae35c116a9f56dc67aaad641e9b2a2e3d237dc3a4ec9ca3297b629c6d87b847',
    postgres: 'b0266c6118883c5f5b5b454f971f495dcddf091f834fad716a7a90bbe388a827',
  },
];

describe('the migration list', () => {
  it('keeps every released migration byte for byte', () => {
    const applied = MIGRATIONS.slice(0, RELEASED.length).map((m) => ({ version: m.version, name: m.name, sqlite: sha256(m.sqlite), postgres: sha256(m.postgres) }));
    expect(applied).toEqual(RELEASED);
  });

  it('lists every file of the folder once, in version order, each under its file number', async () => {
    const files = readdirSync(import.meta.dirname).filter((name) => /^\d{4}-.+\.ts$/.test(name) && !name.endsWith('.test.ts'));
    const fromFiles: Migration[] = [];
    for (const file of files.sort()) {
      const exported = Object.values(await import(`./${file}`)) as Migration[];
      expect(exported, `${file} exports one migration`).toHaveLength(1);
      expect(exported[0]!.version, file).toBe(Number(file.slice(0, 4)));
      fromFiles.push(exported[0]!);
    }
    expect(MIGRATIONS).toEqual(fromFiles);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(m.name.trim(), `migration ${m.version}`).not.toBe('');
  });
});

describe('migrating a SQLite database', () => {
  it('migrates once: applying the migrations again does nothing', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
  });

  it('a database of the first schema migrates forward: its rows belong to district 1', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    db.exec(MIGRATIONS[0]!.sqlite);
    db.prepare("INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-01-01T00:00:00Z')").run();
    db.prepare("INSERT INTO units (id, position, json) VALUES ('U1', 0, '{}')").run();
    expect(migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    expect(db.prepare('SELECT district_id, id FROM units').all()).toEqual([{ district_id: 1, id: 'U1' }]);
    // The text index of the issues (migration 6: an FTS5 table, its own tables and its position
    // table) holds no rows of a district, only what is derived from the issues' rows.
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'schema_migrations', 'district_meta') AND name NOT LIKE 'issue_text%'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      const columns = db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[];
      expect(columns.map((c) => c.name), name).toContain('district_id');
    }
  });

  it('a database made by the code before the split opens unchanged and reads and writes as before', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dutymap-old-db-')), 'old.db');
    const fixture = readFileSync(join(import.meta.dirname, '../../../../tests/fixtures/storage/sqlite-database-v4.sql'), 'utf8');
    const setup = new Database(path);
    setup.exec(fixture);
    const recorded = setup.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    const schema = setup.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    setup.close();
    expect(recorded).toEqual(MIGRATIONS.slice(0, 4).map(({ version, name }) => ({ version, name })));
    // The new code's schema for the same versions is the old one, statement for statement.
    const fresh = new Database(':memory:');
    for (const m of MIGRATIONS.slice(0, 4)) fresh.exec(m.sqlite);
    expect(fresh.prepare("SELECT type, name, sql FROM sqlite_master WHERE name <> 'schema_migrations' ORDER BY type, name").all()).toEqual(
      (schema as { name: string }[]).filter((s) => s.name !== 'schema_migrations'),
    );

    const repo = openSqliteRepository(path);
    try {
      expect(await repo.revisions()).toEqual({
        epoch: Date.parse('2026-01-10T00:00:00.000Z'),
        data: 4,
        zones: 2,
        // The optional layers (excluded areas, outline) have no features yet: revision 0.
        layers: { streets: 1, communities: 1, grids: 2, roads: 1, checkpoints: 1, excluded: 0, outline: 0 },
      });
      const g1 = (await repo.getFeature('grids', 'G1'))!;
      expect([g1.version, g1.feature.properties.name]).toEqual([2, 'G1 改名']);
      expect((await repo.featureHistory('grids', 'G1')).map((h) => [h.version, h.action, h.note])).toEqual([
        [1, 'seed', 'seeded from the district folder'],
        [2, 'update', '旧库的一次编辑'],
      ]);
      const issue = (await repo.getIssue('WT20260110-00009'))!;
      expect([issue.status, issue.version, issue.source]).toEqual(['rectifying', 2, 'citizen_complaint']);
      expect((await repo.issueHistory(issue.id)).map((h) => h.action)).toEqual(['report', 'start']);
      // Migration 6 indexed the text the old database already held.
      const byText = await repo.listIssues({ nowMs: 0, text: issue.description.slice(0, 2) }, { sort: 'reportedAt', limit: 50, after: null });
      expect(byText.items.map((i) => i.id)).toContain(issue.id);
      expect((await repo.findApiKeyByHash('fixture-key-hash'))!.requestCount).toBe(1);
      expect((await repo.sessionUser('fixture-token-hash', Date.parse('2026-01-11T00:00:00Z')))!.username).toBe('unit');
      expect(await repo.rateHits('signin:admin', Date.parse('2026-01-10T05:00:00.000Z'))).toBe(1);
      // And it takes writes: the next edit continues G1's versions and the next issue its numbers.
      const edited = await repo.applyZoneEdit({
        layer: 'grids', kind: 'edit', upserts: [g1.feature], removes: [], expectedVersions: { G1: 2 },
        by: 'planner', at: '2026-01-11T00:00:00Z', note: null, reassignments: [],
      });
      expect(edited.features).toEqual([{ id: 'G1', version: 3, deleted: false }]);
      const next = await repo.createIssue(
        {
          lon: issue.lon, lat: issue.lat, category: issue.category, description: '新代码报的问题', source: 'inspection', severity: 'medium',
          reportedAt: '2026-01-11T00:00:00.000Z', reportedBy: 'inspector', deadline: issue.deadline, status: 'assigned', unitId: issue.unitId,
          engineOwned: true, assignment: issue.assignment, closedAt: null, photos: [],
        },
        { at: '2026-01-11T00:00:00.000Z', action: 'report', from: null, to: 'assigned', by: 'inspector' },
      );
      expect([next.id, next.seq]).toEqual(['WT20260111-00010', 10]);
    } finally {
      await repo.close();
    }
    const reopened = new Database(path);
    // Opening it applied the later migrations, and only those.
    expect(reopened.prepare('SELECT version FROM schema_migrations').all()).toHaveLength(MIGRATIONS.length);
    reopened.close();
  });
});
