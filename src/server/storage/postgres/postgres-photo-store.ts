import type pg from 'pg';
import { PHOTO_SELECT, toPhoto, type PhotoRow } from '../patrol-store';
import type { PhotoReferences, PhotoStore, StoredPhoto } from '../photo-store';

/**
 * The photo store on PostgreSQL: bytes and metadata in one row of `photos` (bytea), so every
 * instance on the database serves every photo. A photo is written in one statement (never half),
 * and a second upload of the same bytes changes nothing (ON CONFLICT DO NOTHING).
 */
export class PostgresPhotoStore implements PhotoStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly districtId: number,
  ) {}

  async put(photo: StoredPhoto, bytes: Uint8Array): Promise<{ photo: StoredPhoto; created: boolean }> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO photos (district_id, id, mime, bytes, width, height, uploaded_at, uploaded_ms, uploaded_by, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (district_id, id) DO NOTHING`,
      [this.districtId, photo.id, photo.mime, photo.bytes, photo.width, photo.height, photo.uploadedAt, Date.parse(photo.uploadedAt), photo.uploadedBy, Buffer.from(bytes)],
    );
    return { photo: (await this.get(photo.id))!, created: rowCount === 1 };
  }

  async get(id: string): Promise<StoredPhoto | null> {
    const { rows } = await this.pool.query<PhotoRow>(`SELECT ${PHOTO_SELECT} FROM photos WHERE district_id = $1 AND id = $2`, [this.districtId, id]);
    return rows[0] ? toPhoto(rows[0]) : null;
  }

  async read(id: string): Promise<{ photo: StoredPhoto; bytes: Uint8Array } | null> {
    const { rows } = await this.pool.query<PhotoRow & { data: Buffer }>(`SELECT ${PHOTO_SELECT}, data FROM photos WHERE district_id = $1 AND id = $2`, [
      this.districtId,
      id,
    ]);
    return rows[0] ? { photo: toPhoto(rows[0]), bytes: new Uint8Array(rows[0].data) } : null;
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM photos WHERE district_id = $1 AND id = ANY($2::text[])', [this.districtId, [...ids]]);
    return new Set(rows.map((r) => r.id));
  }

  async references(id: string): Promise<PhotoReferences> {
    const d = this.districtId;
    const issues = await this.pool.query<{ n: number }>('SELECT count(*)::int4 AS n FROM issue_photos WHERE district_id = $1 AND (photo_id = $2 OR thumb_id = $2)', [d, id]);
    const checkins = await this.pool.query<{ by: string; unit_id: string | null }>(
      'SELECT by, unit_id FROM patrol_checkins WHERE district_id = $1 AND (photo_id = $2 OR thumb_id = $2)',
      [d, id],
    );
    return { issues: issues.rows[0]!.n, checkins: checkins.rows.map((r) => ({ by: r.by, unitId: r.unit_id })) };
  }

  async sweepOrphans(uploadedBeforeMs: number): Promise<{ photos: number; files: number }> {
    // One statement: a photo that something refers to meanwhile is kept by the foreign keys'
    // locks (the reference's insert and this delete cannot both succeed).
    const { rowCount } = await this.pool.query(
      `DELETE FROM photos p WHERE p.district_id = $1 AND p.uploaded_ms < $2
         AND NOT EXISTS (SELECT 1 FROM issue_photos i WHERE i.district_id = p.district_id AND (i.photo_id = p.id OR i.thumb_id = p.id))
         AND NOT EXISTS (SELECT 1 FROM patrol_checkins c WHERE c.district_id = p.district_id AND (c.photo_id = p.id OR c.thumb_id = p.id))`,
      [this.districtId, uploadedBeforeMs],
    );
    return { photos: rowCount ?? 0, files: 0 };
  }
}
