/**
 * Photos of issue steps as both backends store them (table issue_photos: one row per photo of a
 * history entry, keyed by the entry's seq and the photo's position in it) and read them back:
 * attached to their history entries, or as rows for reports and Open311.
 */
import type { IssueHistoryEntry } from '../../core/issues/issue-schema';
import type { PhotoKind } from '../../core/issues/photo-schema';
import { toIssueHistoryEntry, type IssueHistoryRow } from './issue-rows';
import type { IssuePhotoRow } from './photo-store';

/** A row of issue_photos joined with its history entry. */
export interface IssuePhotoDbRow {
  issue_id: string;
  history_seq: number;
  photo_id: string;
  thumb_id: string;
  kind: string;
  at: string;
  by: string;
  action: string;
}

export const toIssuePhotoRow = (r: IssuePhotoDbRow): IssuePhotoRow => ({
  issueId: r.issue_id,
  photoId: r.photo_id,
  thumbId: r.thumb_id,
  kind: r.kind,
  at: r.at,
  by: r.by,
  action: r.action,
});

/** History entries (with their seq) with the photos of each step attached as `photos`. */
export function withPhotos(entries: readonly (IssueHistoryRow & { seq: number })[], photos: readonly IssuePhotoDbRow[]): IssueHistoryEntry[] {
  const bySeq = new Map<number, IssueHistoryEntry['photos']>();
  for (const p of photos) {
    let list = bySeq.get(Number(p.history_seq));
    if (!list) bySeq.set(Number(p.history_seq), (list = []));
    list.push({ photoId: p.photo_id, thumbId: p.thumb_id, kind: p.kind as PhotoKind });
  }
  return entries.map((row) => {
    const entry = toIssueHistoryEntry(row);
    const attached = bySeq.get(Number(row.seq));
    if (attached) entry.photos = attached;
    return entry;
  });
}
