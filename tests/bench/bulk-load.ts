/**
 * Bulk loads for the benchmarks: seeded issues of the demo district (points assigned by the real
 * engine, three years of reports, 85 % closed) written through each backend's bulk path, with the
 * indexes built once after the rows rather than row by row (see loadSqlite, loadPostgres). The
 * seconds reported leave out generating the issues (the engine assigning each point).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { assign } from '../../src/core/assignment/assign-issue';
import { ISSUE_CATEGORIES, ISSUE_SOURCES, SEVERITIES } from '../../src/core/district/catalog';
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import type { IssueHistoryEntry, IssueStatus } from '../../src/core/issues/issue-schema';
import { createRandom } from '../../src/core/generate/random';
import { ledgerAtScale } from '../../src/server/storage/migrations/0006-ledger-at-scale';
import { openPostgresRepository } from '../../src/server/storage/postgres/postgres-repository';
import type { IssueRecord } from '../../src/server/storage/repository';
import { readSeedFolder } from '../../src/server/services/seed';
import { PROJECT_ROOT } from '../helpers/api-server';

export interface LoadResult {
  issues: number;
  seconds: number;
  issuesPerSec: number;
  /** PostgreSQL: ANALYZE after the load (what a bulk import should run); SQLite: none. */
  analyzeSeconds: number | null;
}

const DAY = 24 * 3600 * 1000;

type LoadIssue = Omit<IssueRecord, 'seq'>;

/** Seeded issues of the demo district in chunks of `chunk`, assigned by the engine. */
export function* generateIssues(total: number, chunk: number): Generator<{ issues: LoadIssue[]; history: [string, IssueHistoryEntry][] }> {
  const { data } = readSeedFolder(join(PROJECT_ROOT, 'data/demo'));
  const index = buildDistrictIndex(data);
  // The bounding box of the streets: most points fall in a zone, some in the gaps around them.
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      [x0, y0, x1, y1] = [Math.min(x0, c[0]), Math.min(y0, c[1] as number), Math.max(x1, c[0]), Math.max(y1, c[1] as number)];
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const street of data.streets) walk(street.geometry.coordinates);
  const random = createRandom(20261124);
  const start = Date.parse('2023-07-01T00:00:00Z');
  const span = 3 * 365 * DAY;
  for (let done = 0; done < total; done += chunk) {
    const issues: LoadIssue[] = [];
    const history: [string, IssueHistoryEntry][] = [];
    for (let i = done; i < Math.min(total, done + chunk); i++) {
      const lon = random.range(x0, x1);
      const lat = random.range(y0, y1);
      const category = random.pick(ISSUE_CATEGORIES);
      const assignment = assign(index, [lon, lat], category);
      const reportedMs = start + Math.floor(random.next() * span);
      const closed = random.next() < 0.85;
      const status: IssueStatus = closed ? 'closed' : assignment.unitId === null ? 'pending_designation' : random.pick(['assigned', 'rectifying', 'verifying'] as const);
      const id = `LD-${String(i + 1).padStart(7, '0')}`;
      const reportedAt = new Date(reportedMs).toISOString();
      issues.push({
        id,
        code: id,
        lon,
        lat,
        category,
        description: `批量载入 ${i + 1}`,
        source: random.pick(ISSUE_SOURCES),
        severity: random.pick(SEVERITIES),
        reportedAt,
        reportedBy: 'loader',
        deadline: new Date(reportedMs + 5 * DAY).toISOString(),
        status,
        unitId: assignment.unitId,
        engineOwned: true,
        assignment,
        closedAt: closed ? new Date(reportedMs + Math.floor(random.next() * 6 * DAY)).toISOString() : null,
        photos: [],
        version: 1,
      });
      history.push([id, { at: reportedAt, action: 'report', from: null, to: status, by: 'loader', unitId: assignment.unitId ?? undefined }]);
    }
    yield { issues, history };
  }
}

/**
 * SQLite's bulk path on the server's file. What is stored is what the app stores (the same rows,
 * the same text-index tokens), only built in the order a bulk load wants: the secondary indexes of
 * issues and issue_history and the text-index trigger are dropped first (their SQL kept from
 * sqlite_master), the rows go in with prepared INSERTs in transactions of 100,000 and
 * `synchronous=OFF` (this connection only: a crash mid-load loses a bench file, nothing else),
 * then the indexes are created again from their own SQL (one sort each instead of a B-tree
 * insert per row) and the text index is filled for the new rows by migration 6's own statement
 * (the one that indexed the rows present when it ran), and the trigger is put back.
 */
export function loadSqlite(dbPath: string, total: number): LoadResult {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB: the index builds sort in memory
  const insert = db.prepare(
    `INSERT INTO issues (id, code, lon, lat, category, description, source, severity, reported_at, reported_ms, reported_by,
       deadline, deadline_ms, status, is_open, unit_id, engine_owned, street_id, community_id, grid_id, road_id, checkpoint_id,
       assignment_json, closed_at, closed_ms, photos_json, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    'INSERT INTO issue_history (issue_id, at, action, from_status, to_status, by, note, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const started = performance.now();
  const lastSeq = (db.prepare('SELECT coalesce(max(seq), 0) AS s FROM issues').get() as { s: number }).s;
  const deferred = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN ('issues', 'issue_history')
         AND (type = 'index' OR (type = 'trigger' AND name = 'issue_text_insert'))`,
    )
    .all() as { name: string; sql: string }[];
  const kind = (sql: string) => (/^CREATE TRIGGER/i.test(sql) ? 'TRIGGER' : 'INDEX');
  db.transaction(() => {
    for (const { name, sql } of deferred) db.exec(`DROP ${kind(sql)} "${name}"`);
  })();
  const write = db.transaction((issues: LoadIssue[], history: [string, IssueHistoryEntry][]) => {
    for (const i of issues) {
      const a = i.assignment;
      insert.run(
        i.id, i.code, i.lon, i.lat, i.category, i.description, i.source, i.severity, i.reportedAt, Date.parse(i.reportedAt), i.reportedBy,
        i.deadline, Date.parse(i.deadline), i.status, i.status === 'closed' ? 0 : 1, i.unitId, 1, a.streetId, a.communityId, a.gridId,
        a.roadId, a.checkpointId, JSON.stringify(a), i.closedAt, i.closedAt ? Date.parse(i.closedAt) : null, '[]', 1,
      );
    }
    for (const [id, e] of history) insertHistory.run(id, e.at, e.action, e.from, e.to, e.by, e.note ?? null, e.unitId ?? null);
    db.prepare("UPDATE revisions SET value = value + 1 WHERE name = 'data'").run();
  });
  let generating = 0;
  for (let g = performance.now(), batches = generateIssues(total, 100_000), next = batches.next(); !next.done; g = performance.now(), next = batches.next()) {
    generating += performance.now() - g;
    write.immediate(next.value.issues, next.value.history);
  }
  const rowsDone = performance.now();
  db.transaction(() => {
    for (const { sql } of deferred) if (kind(sql) === 'INDEX') db.exec(sql);
    db.prepare(textIndexBackfill()).run({ after: lastSeq });
    for (const { sql } of deferred) if (kind(sql) === 'TRIGGER') db.exec(sql);
  }).immediate();
  db.pragma('optimize');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seconds = (performance.now() - started - generating) / 1000;
  process.stderr.write(`bulk load (SQLite): rows ${round2((rowsDone - started - generating) / 1000)} s, indexes and text index ${round2((performance.now() - rowsDone) / 1000)} s\n`);
  return { issues: total, seconds: round2(seconds), issuesPerSec: Math.round(total / seconds), analyzeSeconds: null };
}

/**
 * Migration 6's statement that filled the text index for the rows present when it ran, limited to
 * the rows after seq @after: the same tokens its insert trigger writes, one statement for all.
 */
function textIndexBackfill(): string {
  const sql = ledgerAtScale.sqlite;
  const backfill = sql.slice(sql.lastIndexOf('INSERT INTO issue_text')).trim();
  if (!backfill.endsWith('FROM issues AS i;')) throw new Error('migration 6 no longer ends with the text index backfill: update bulk-load.ts');
  return `${backfill.slice(0, -1)} WHERE i.seq > @after`;
}

/**
 * PostgreSQL's bulk path: the repository's insertIssueBatch (the app's own multi-row INSERT …
 * unnest, 10,000 issues per transaction) with the secondary indexes of issues and issue_history
 * dropped first and created again after from their own definitions (pg_indexes; the GIN text
 * index computes each row's grams once, in one pass), then ANALYZE. Constraint indexes (primary
 * keys, UNIQUE) stay: they check the rows as they go in.
 */
export async function loadPostgres(url: string, total: number): Promise<LoadResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const { rows: deferred } = await client.query<{ name: string; sql: string }>(
    `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes AS i
     WHERE i.schemaname = current_schema() AND i.tablename IN ('issues', 'issue_history')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)`,
  );
  await client.query(deferred.map(({ name }) => `DROP INDEX "${name}";`).join('\n'));
  const repo = await openPostgresRepository(url);
  let generating = 0;
  try {
    const batches = generateIssues(total, 10_000);
    for (let g = performance.now(), next = batches.next(); !next.done; g = performance.now(), next = batches.next()) {
      generating += performance.now() - g;
      await repo.insertIssueBatch(next.value.issues, next.value.history);
    }
  } finally {
    await repo.close();
  }
  const rowsDone = performance.now();
  await client.query("SET maintenance_work_mem = '256MB'");
  for (const { sql } of deferred) await client.query(sql);
  const indexed = performance.now();
  await client.query('ANALYZE');
  const analyzeSeconds = (performance.now() - indexed) / 1000;
  await client.end();
  const seconds = (indexed - started - generating) / 1000;
  process.stderr.write(`bulk load (PostgreSQL): rows ${round2((rowsDone - started - generating) / 1000)} s, indexes ${round2((indexed - rowsDone) / 1000)} s\n`);
  return { issues: total, seconds: round2(seconds), issuesPerSec: Math.round(total / seconds), analyzeSeconds: round2(analyzeSeconds) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
