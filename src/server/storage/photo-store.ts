/**
 * The photo store: pictures named by the SHA-256 of their bytes, one interface with two homes.
 * On SQLite the bytes are files under the data folder (`<hash>.<ext>` in two-letter
 * subfolders, written to a temporary name and renamed, so nothing half-written is ever served)
 * and the metadata a row; on PostgreSQL bytes and metadata are one row, so that every instance
 * on the database reads every photo. Who may see a photo is decided by the services from its
 * references (the issues and check-ins that carry it); the store only keeps.
 */

/** A stored photo's metadata. */
export interface StoredPhoto {
  /** SHA-256 of the bytes, lower-case hex. */
  id: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  uploadedAt: string;
  uploadedBy: string;
}

/** What refers to a photo: issue steps (as photo or thumbnail) and check-ins (with who and whose unit). */
export interface PhotoReferences {
  issues: number;
  checkins: { by: string; unitId: string | null }[];
}

export interface PhotoStore {
  /**
   * Stores a photo unless one with its id is there (then the stored one is kept: same id, same
   * bytes). The caller has checked the id against the bytes. Returns the record and whether it is new.
   */
  put(photo: StoredPhoto, bytes: Uint8Array): Promise<{ photo: StoredPhoto; created: boolean }>;
  /** The metadata, or null. */
  get(id: string): Promise<StoredPhoto | null>;
  /** Metadata and bytes, or null. */
  read(id: string): Promise<{ photo: StoredPhoto; bytes: Uint8Array } | null>;
  /** Which of `ids` are stored. */
  existing(ids: readonly string[]): Promise<Set<string>>;
  references(id: string): Promise<PhotoReferences>;
  /**
   * Deletes the photos nothing refers to that were uploaded before `uploadedBeforeMs` (the
   * grace period lets a report be sent after its photos), and on SQLite the files no row names
   * that are older than that (left by a crash between writing the file and its row).
   */
  sweepOrphans(uploadedBeforeMs: number): Promise<{ photos: number; files: number }>;
}

/** A photo attached to an issue step, as the reports and Open311 read them. */
export interface IssuePhotoRow {
  issueId: string;
  photoId: string;
  thumbId: string;
  kind: string;
  at: string;
  by: string;
  action: string;
}
