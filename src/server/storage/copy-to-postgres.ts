import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, migratePostgres } from './migrate';
import { MIGRATIONS } from './migrations/migration-list';
import { defaultPhotoDir, photoFilePath } from './sqlite/sqlite-photo-store';

/** What `dutymap migrate` copied. */
export interface CopyReport {
  from: string;
  districtId: number;
  schemaVersion: number;
  /** Rows copied per table (every table of the schema, history included). */
  tables: Record<string, number>;
  seconds: number;
}

export interface CopyOptions {
  /** The SQLite database file (a running server may keep using it: a snapshot is copied). */
  from: string;
  /** postgres://… of the target (migrated to the same schema version first). */
  to: string;
  /** The SQLite database's photo folder (DUTYMAP_PHOTOS); default `<db name>-photos/` beside it. */
  photoDir?: string;
  /** The district id the rows get in the target. Default 1. */
  districtId?: number;
  /** Called after each table, for progress on the command line. */
  onTable?: (table: string, rows: number) => void;
}

/** Rows per INSERT … SELECT FROM unnest(…) statement. */
const CHUNK = 5000;
/** Photos per statement: each carries its bytes (≤ 5 MB), so memory stays near 100 MB. */
const PHOTO_CHUNK = 20;

interface TargetColumn {
  name: string;
  /** udt_name: int4, int8, float8, bool, text, … (the array type is `_` + this). */
  type: string;
  serial: boolean;
}

/**
 * Copies the district of a SQLite database into PostgreSQL with everything it has: meta, units,
 * every feature with its versions and edit history, every issue with its history, users,
 * sessions, API keys, revisions (so ETags and sessions carry over). One PostgreSQL transaction:
 * all or nothing. Tables and columns are matched by name, so a table a later migration adds is
 * copied too; generated columns (PostGIS geometry) are computed by PostgreSQL. Sequence values
 * (edit ids, issue seq) are shifted past what the target holds already, with the columns that
 * reference them, so a district can join a database that holds others.
 *
 * The source is read from a snapshot (SQLite's online backup) migrated to the current schema in
 * a temp folder: the file itself is not modified. Refuses when the target holds the district.
 */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const districtId = options.districtId ?? 1;
  if (!existsSync(options.from)) throw new Error(`there is no SQLite database at ${options.from}`);
  const scratch = mkdtempSync(join(tmpdir(), 'dutymap-migrate-'));
  const source = new Database(options.from, { readonly: true, fileMustExist: true });
  let snapshot: Database.Database | null = null;
  const client = new pg.Client({ connectionString: options.to });
  try {
    await source.backup(join(scratch, 'snapshot.db'));
    source.close();
    snapshot = new Database(join(scratch, 'snapshot.db'));
    migrate(snapshot);
    const meta = snapshot.prepare('SELECT json FROM district_meta').all() as { json: string }[];
    if (meta.length !== 1) throw new Error(`${options.from} holds ${meta.length} districts; expected exactly one`);

    await client.connect();
    await migratePostgres(client);
    const tables = orderByReferences(
      (snapshot.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'schema_migrations')").all() as { name: string }[])
        .map((r) => r.name)
        .filter((name) => !SQLITE_ONLY_TABLE.test(name)),
      await references(client),
    );
    const report: Record<string, number> = {};
    await client.query('BEGIN');
    try {
      const present = await client.query('SELECT 1 FROM district_meta WHERE id = $1', [districtId]);
      if (present.rows.length) throw new Error(`the target already holds district ${districtId}; choose another id with --district`);
      const offsets = await serialOffsets(client);
      const refs = await references(client);
      for (const table of tables) {
        report[table] = await copyTable(snapshot, client, table, districtId, offsets, refs, options.photoDir ?? defaultPhotoDir(options.from));
        options.onTable?.(table, report[table]!);
      }
      for (const [key] of offsets) {
        const [table, column] = key.split('.');
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${column}) FROM ${table}), 1))`,
          [table, column],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    return {
      from: options.from,
      districtId,
      schemaVersion: MIGRATIONS.at(-1)!.version,
      tables: report,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    if (source.open) source.close();
    snapshot?.close();
    await client.end().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Single-column foreign keys of the target: `table.column` → `table.column` it references. */
async function references(client: pg.Client): Promise<Map<string, string>> {
  const { rows } = await client.query<{ tbl: string; col: string; ref_tbl: string; ref_col: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS ref_tbl, af.attname AS ref_col
     FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
     JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  return new Map(rows.map((r) => [`${r.tbl}.${r.col}`, `${r.ref_tbl}.${r.ref_col}`]));
}

/**
 * SQLite's own ledger text index (migration 6: the FTS5 table issue_text, its shadow tables and
 * issue_text_positions): derived from issues by triggers, so not copied; PostgreSQL indexes the
 * same text with its own trigram index as the issues arrive.
 */
const SQLITE_ONLY_TABLE = /^issue_text(_|$)/;

/** Tables ordered so that a referenced table comes before the tables referencing it. */
function orderByReferences(tables: string[], refs: Map<string, string>): string[] {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const [from, to] of refs) {
    const [a] = from.split('.');
    const [b] = to.split('.');
    if (a !== b && deps.has(a!) && deps.has(b!)) deps.get(a!)!.add(b!);
  }
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const d of deps.get(t) ?? []) visit(d, path);
    ordered.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return ordered;
}

/** For every serial column of the target, how far copied values must shift to stay unique. */
async function serialOffsets(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  const offsets = new Map<string, number>();
  for (const r of rows) {
    const { rows: max } = await client.query<{ m: string | null }>(`SELECT max(${r.column_name})::text AS m FROM ${r.table_name}`);
    offsets.set(`${r.table_name}.${r.column_name}`, Number(max[0]?.m ?? 0));
  }
  return offsets;
}

async function copyTable(
  source: Database.Database,
  client: pg.Client,
  table: string,
  districtId: number,
  offsets: Map<string, number>,
  refs: Map<string, string>,
  photoDir: string,
): Promise<number> {
  // SQLite keeps a photo's bytes in a file beside the database, PostgreSQL in photos.data.
  const photoBytes = (row: Record<string, unknown>) => {
    const path = photoFilePath(photoDir, String(row.id), String(row.mime));
    if (!existsSync(path)) throw new Error(`photo ${String(row.id)} has no file at ${path}: give the photo folder with --photos`);
    return readFileSync(path);
  };
  const { rows: columnRows } = await client.query<{ column_name: string; udt_name: string; is_generated: string; column_default: string | null }>(
    `SELECT column_name, udt_name, is_generated, column_default FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (columnRows.length === 0) throw new Error(`table ${table} of the SQLite database has no counterpart in PostgreSQL`);
  const target: TargetColumn[] = columnRows
    .filter((c) => c.is_generated !== 'ALWAYS')
    .map((c) => ({ name: c.column_name, type: c.udt_name, serial: (c.column_default ?? '').startsWith('nextval(') }));
  const sourceColumns = new Set((source.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  for (const c of target) {
    if (!sourceColumns.has(c.name) && c.name !== 'district_id' && !(table === 'photos' && c.name === 'data')) throw new Error(`column ${table}.${c.name} is missing in the SQLite database`);
  }
  for (const name of sourceColumns) {
    if (!target.some((c) => c.name === name)) throw new Error(`column ${table}.${name} of the SQLite database has no counterpart in PostgreSQL`);
  }
  // district_meta's id is the district id.
  const districtColumn = table === 'district_meta' ? 'id' : 'district_id';
  const convert = target.map((c) => {
    if (c.name === districtColumn) return () => districtId;
    if (table === 'photos' && c.name === 'data') return photoBytes;
    const shift = offsets.get(`${table}.${c.name}`) ?? offsets.get(refs.get(`${table}.${c.name}`) ?? '') ?? 0;
    if (c.type === 'bool') return (row: Record<string, unknown>) => (row[c.name] === null ? null : row[c.name] === 1 || row[c.name] === true);
    if (shift && (c.type === 'int8' || c.type === 'int4')) return (row: Record<string, unknown>) => (row[c.name] === null ? null : Number(row[c.name]) + shift);
    return (row: Record<string, unknown>) => row[c.name] ?? null;
  });
  const sql = `INSERT INTO ${table} (${target.map((c) => c.name).join(', ')})
    SELECT * FROM unnest(${target.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`;
  const order = sourceColumns.has('seq') ? ' ORDER BY seq' : sourceColumns.has('id') ? ' ORDER BY id' : '';
  let copied = 0;
  let columns: unknown[][] = target.map(() => []);
  const flush = async () => {
    if (columns[0]!.length === 0) return;
    await client.query(sql, columns);
    copied += columns[0]!.length;
    columns = target.map(() => []);
  };
  const rows = source.prepare(`SELECT * FROM ${table}${order}`).iterate() as IterableIterator<Record<string, unknown>>;
  for (const row of rows) {
    convert.forEach((f, i) => columns[i]!.push(f(row)));
    if (columns[0]!.length >= (table === 'photos' ? PHOTO_CHUNK : CHUNK)) await flush();
  }
  await flush();
  return copied;
}
