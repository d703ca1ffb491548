/**
 * What only the PostgreSQL repository has (vitest project "postgres"); the contract both backends
 * keep is repository-contract.test.ts. A zone write committed through one repository reaches
 * another one's LISTEN connection; the geometry columns PostGIS derives from the stored JSON
 * agree with it and answer spatial queries through their GiST indexes; the bulk path stores
 * issues with their history and moves the data revision once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { apiTestDistrict } from '../helpers/api-district';
import { freshTestDatabaseUrl } from '../helpers/api-server';
import { openPostgresRepository, type PostgresRepository } from '../../src/server/storage/postgres/postgres-repository';

let url: string;
let first: PostgresRepository;
let second: PostgresRepository;

beforeAll(async () => {
  url = await freshTestDatabaseUrl();
  first = await openPostgresRepository(url, { poolSize: 4 });
  second = await openPostgresRepository(url, { poolSize: 4 });
  await first.seed(apiTestDistrict(new Date('2026-01-10T00:00:00Z')), [], '2026-01-10T00:00:00Z');
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

describe('PostgreSQL repository', () => {
  it('tells the other repository about a zone write when it commits (LISTEN/NOTIFY)', async () => {
    let hear: (zones: number) => void = () => undefined;
    const heard = new Promise<number>((resolve) => (hear = resolve));
    // Resolves once the LISTEN connection is up.
    const stop = await second.watchZones((zones) => hear(zones));
    const g1 = (await first.getFeature('grids', 'G1'))!;
    await first.applyZoneEdit({
      layer: 'grids',
      kind: 'edit',
      upserts: [{ ...g1.feature, properties: { ...g1.feature.properties, name: '通知' } }],
      removes: [],
      expectedVersions: { G1: 1 },
      by: 'test',
      at: '2026-01-10T01:00:00Z',
      note: null,
      reassignments: [],
    });
    expect(await heard).toBe((await first.revisions()).zones);
    stop();
    expect((await second.getFeature('grids', 'G1'))!.feature.properties.name).toBe('通知');
  });

  it('keeps a PostGIS geometry with a GiST index beside the JSON of every feature and issue', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const inG2 = await client.query<{ id: string }>(
        "SELECT id FROM features WHERE district_id = 1 AND layer = 'grids' AND NOT deleted AND ST_Contains(geom, ST_SetSRID(ST_MakePoint(120.0075, 30.0025), 4326))",
      );
      expect(inG2.rows.map((r) => r.id)).toEqual(['G2']);
      const near = await client.query<{ id: string }>(
        'SELECT id FROM issues WHERE district_id = 1 AND geom && ST_MakeEnvelope(120.0, 30.0, 120.005, 30.005, 4326) ORDER BY id',
      );
      expect(near.rows.map((r) => r.id)).toEqual(['T-G1']);
      const indexes = await client.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname IN ('features_geom', 'issues_geom')");
      expect(indexes.rows.map((r) => r.indexdef).every((d) => d.includes('USING gist'))).toBe(true);
    } finally {
      await client.end();
    }
    const page = await first.listIssues({ nowMs: Date.now(), bbox: [120.0, 30.0, 120.005, 30.005] }, { sort: 'reportedAt', limit: 10, after: null });
    expect(page.items.map((i) => i.id)).toEqual(['T-G1']);
  });

  it('stores a batch of issues with their history in one transaction and one data revision', async () => {
    const before = await first.revisions();
    const template = (await first.getIssue('T-G1'))!;
    const issues = Array.from({ length: 12_000 }, (_, i) => ({ ...template, id: `B-${i}`, code: `B-${i}`, description: `batch ${i}`, version: 1 }));
    const history = issues.map((i) => [i.id, { at: i.reportedAt, action: 'report' as const, from: null, to: i.status, by: 'loader' }] as const);
    await second.insertIssueBatch(issues, history);
    expect((await first.revisions()).data).toBe(before.data + 1);
    const counts = await first.countIssues({ nowMs: 0, text: 'batch' });
    expect(counts.exact && Object.values(counts.byStatus).reduce((a, b) => a + b, 0)).toBe(12_000);
    expect(await first.issueHistory('B-11999')).toEqual([{ at: template.reportedAt, action: 'report', from: null, to: template.status, by: 'loader' }]);
  });

  it('opens every connection of its pool at start when serving, so the first burst of requests does not wait for PostgreSQL to start backends; a command opens one', async () => {
    const backends = async (url: string) => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return rows[0]!.n;
      } finally {
        await admin.end();
      }
    };
    const serving = await freshTestDatabaseUrl();
    const server = await openPostgresRepository(serving, { poolSize: 3, openAll: true });
    try {
      expect(await backends(serving)).toBe(3);
    } finally {
      await server.close();
    }
    const command = await freshTestDatabaseUrl();
    const cli = await openPostgresRepository(command, { poolSize: 3 });
    try {
      expect(await backends(command)).toBe(1); // the migrations' connection, kept
    } finally {
      await cli.close();
    }
  });
});
