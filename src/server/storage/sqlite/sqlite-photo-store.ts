import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { PHOTO_SELECT, toPhoto, type PhotoRow } from '../patrol-store';
import type { PhotoReferences, PhotoStore, StoredPhoto } from '../photo-store';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp' };

/** The photo folder of a SQLite database file by default: `data/dutymap.db` → `data/dutymap-photos/`. */
export function defaultPhotoDir(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}-photos`);
}

/** Where the store keeps the bytes of photo `id` of type `mime` under `dir` (also read by `dutymap migrate`). */
export function photoFilePath(dir: string, id: string, mime: string): string {
  return join(dir, id.slice(0, 2), `${id}${EXTENSIONS[mime] ?? '.bin'}`);
}

/**
 * The photo store beside a SQLite database: bytes as files `<dir>/<ab>/<hash><ext>` (the first two
 * hex digits as a subfolder keep folders small), metadata in the `photos` table. A file is written
 * to a temporary name in the same folder and renamed into place (atomic on one file system), then
 * its row inserted: a crash in between leaves a stray file, which the sweep removes, never a row
 * without its file.
 */
export class SqlitePhotoStore implements PhotoStore {
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    readonly dir: string,
  ) {
    this.stmt = {
      get: db.prepare<[string], PhotoRow>(`SELECT ${PHOTO_SELECT} FROM photos WHERE id = ?`),
      insert: db.prepare(
        `INSERT INTO photos (id, mime, bytes, width, height, uploaded_at, uploaded_ms, uploaded_by)
         VALUES (@id, @mime, @bytes, @width, @height, @uploadedAt, @uploadedMs, @uploadedBy) ON CONFLICT (id) DO NOTHING`,
      ),
      issueRefs: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM issue_photos WHERE photo_id = ? OR thumb_id = ?'),
      checkinRefs: db.prepare<[string, string], { by: string; unit_id: string | null }>('SELECT by, unit_id FROM patrol_checkins WHERE photo_id = ? OR thumb_id = ?'),
      orphans: db.prepare<[number], { id: string; mime: string }>(
        `SELECT id, mime FROM photos p WHERE uploaded_ms < ?
           AND NOT EXISTS (SELECT 1 FROM issue_photos i WHERE i.photo_id = p.id OR i.thumb_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM patrol_checkins c WHERE c.photo_id = p.id OR c.thumb_id = p.id)`,
      ),
      remove: db.prepare<[string]>('DELETE FROM photos WHERE id = ?'),
    };
  }

  private pathOf(id: string, mime: string): string {
    return photoFilePath(this.dir, id, mime);
  }

  async put(photo: StoredPhoto, bytes: Uint8Array): Promise<{ photo: StoredPhoto; created: boolean }> {
    const existing = this.stmt.get.get(photo.id);
    if (existing) return { photo: toPhoto(existing), created: false };
    const path = this.pathOf(photo.id, photo.mime);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.part`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
    const created = this.stmt.insert.run({ ...photo, uploadedMs: Date.parse(photo.uploadedAt) }).changes === 1;
    return { photo: toPhoto(this.stmt.get.get(photo.id)!), created };
  }

  async get(id: string): Promise<StoredPhoto | null> {
    const row = this.stmt.get.get(id);
    return row ? toPhoto(row) : null;
  }

  async read(id: string): Promise<{ photo: StoredPhoto; bytes: Uint8Array } | null> {
    const row = this.stmt.get.get(id);
    if (!row) return null;
    try {
      return { photo: toPhoto(row), bytes: readFileSync(this.pathOf(row.id, row.mime)) };
    } catch {
      return null; // the file went missing (deleted by hand): as good as no photo
    }
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.stmt.get.get(id) !== undefined));
  }

  async references(id: string): Promise<PhotoReferences> {
    return {
      issues: this.stmt.issueRefs.get(id, id)!.n,
      checkins: this.stmt.checkinRefs.all(id, id).map((r) => ({ by: r.by, unitId: r.unit_id })),
    };
  }

  async sweepOrphans(uploadedBeforeMs: number): Promise<{ photos: number; files: number }> {
    // Rows first, in one transaction (the foreign keys refuse to drop a row something refers to);
    // their files after the commit.
    const removed = this.db.transaction(() => {
      const rows = this.stmt.orphans.all(uploadedBeforeMs);
      for (const row of rows) this.stmt.remove.run(row.id);
      return rows;
    }).immediate();
    for (const row of removed) rmSync(this.pathOf(row.id, row.mime), { force: true });
    let files = 0;
    let folders: string[] = [];
    try {
      folders = readdirSync(this.dir);
    } catch {
      return { photos: removed.length, files };
    }
    for (const folder of folders) {
      const sub = join(this.dir, folder);
      let names: string[] = [];
      try {
        names = readdirSync(sub);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(sub, name);
        const stat = statSync(path, { throwIfNoEntry: false });
        if (!stat || stat.mtimeMs >= uploadedBeforeMs) continue;
        const id = name.slice(0, 64);
        if (!name.endsWith('.part') && this.stmt.get.get(id)) continue;
        rmSync(path, { force: true });
        files++;
      }
    }
    return { photos: removed.length, files };
  }
}
