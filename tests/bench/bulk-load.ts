/**
 * Bulk loads for the benchmarks: seeded issues of the demo district (points assigned by the real
 * engine, three years of reports, 85 % closed) written through each backend's bulk path —
 * SQLite: one prepared INSERT per row inside transactions of 10,000 rows (the migrations'
 * triggers fill the text index); PostgreSQL: the repository's insertIssueBatch, then ANALYZE.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { assign } from '../../src/core/assignment/assign-issue';
import { ISSUE_CATEGORIES, ISSUE_SOURCES, SEVERITIES } from '../../src/core/district/catalog';
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import type { IssueHistoryEntry, IssueStatus } from '../../src/core/issues/issue-schema';
import { createRandom } from '../../src/core/generate/random';
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

/** SQLite's bulk path: prepared INSERTs in transactions of 10,000 rows on the server's file. */
export function loadSqlite(dbPath: string, total: number): LoadResult {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
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
  for (let g = performance.now(), batches = generateIssues(total, 10_000), next = batches.next(); !next.done; g = performance.now(), next = batches.next()) {
    generating += performance.now() - g;
    write.immediate(next.value.issues, next.value.history);
  }
  db.close();
  const seconds = (performance.now() - started - generating) / 1000;
  return { issues: total, seconds: round2(seconds), issuesPerSec: Math.round(total / seconds), analyzeSeconds: null };
}

/** PostgreSQL's bulk path: the repository's insertIssueBatch, 10,000 issues per transaction. */
export async function loadPostgres(url: string, total: number): Promise<LoadResult> {
  const repo = await openPostgresRepository(url);
  let writing = 0;
  try {
    for (const { issues, history } of generateIssues(total, 10_000)) {
      const t = performance.now();
      await repo.insertIssueBatch(issues, history);
      writing += performance.now() - t;
    }
  } finally {
    await repo.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  await client.query('ANALYZE');
  const analyzeSeconds = (performance.now() - t) / 1000;
  await client.end();
  return { issues: total, seconds: round2(writing / 1000), issuesPerSec: Math.round(total / (writing / 1000)), analyzeSeconds: round2(analyzeSeconds) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
