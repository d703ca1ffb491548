/**
 * Patrol check-ins and road walks as both backends keep them (tables patrol_checkins,
 * patrol_walks, patrol_samples): the interface, the records and their row mapping. Every write
 * bumps the 'patrol' revision in its transaction (the coverage ETag), not 'data': a check-in
 * changes no issue, so the screens' issue queries stay cached.
 */
import type { TrackSample } from '../../core/patrol/road-walk';
import type { VisitRow, WalkRow } from '../../core/patrol/coverage-figures';

export interface CheckinRecord {
  id: string;
  checkpointId: string;
  unitId: string | null;
  by: string;
  at: string;
  lon: number;
  lat: number;
  accuracyM: number;
  distanceM: number;
  note: string;
  photoId: string | null;
  thumbId: string | null;
}

export type WalkStatus = 'open' | 'counted' | 'not_counted';

export interface WalkRecord {
  id: string;
  roadId: string;
  unitId: string | null;
  by: string;
  startedAt: string;
  endedAt: string | null;
  status: WalkStatus;
  lengthM: number;
  coveredM: number;
  coverage: number;
  samples: number;
  jumps: number;
  inaccurate: number;
  trackKept: boolean;
}

/** The figures a walk's samples give (core/patrol judgeWalk), stored with it. */
export type WalkFigures = Pick<WalkRecord, 'lengthM' | 'coveredM' | 'coverage' | 'samples' | 'jumps' | 'inaccurate'>;

/** Who the listed records may be: everyone's (null), one person's, or one unit's plus that person's. */
export interface PatrolListFilter {
  fromMs?: number;
  toMs?: number;
  by?: string;
  unitId?: string;
  limit: number;
}

export interface PatrolStore {
  /** Bumped by every patrol write (check-ins, walks): the coverage ETag. */
  revision(): Promise<number>;
  addCheckin(checkin: CheckinRecord): Promise<CheckinRecord>;
  /** Newest first. With `by` and `unitId` both set: that person's or that unit's. */
  listCheckins(filter: PatrolListFilter): Promise<CheckinRecord[]>;
  /** Every check-in in [fromMs, toMs): checkpoint and time (coverage figures). */
  visits(fromMs: number, toMs: number): Promise<VisitRow[]>;
  /** Each checkpoint's last check-in before `beforeMs` (epoch ms). */
  lastVisits(beforeMs: number): Promise<Map<string, number>>;
  startWalk(walk: WalkRecord): Promise<WalkRecord>;
  getWalk(id: string): Promise<WalkRecord | null>;
  /** The person's walk still open, if any (the newest). */
  openWalkOf(by: string): Promise<WalkRecord | null>;
  /** Adds samples (a time already stored for the walk is skipped) and stores the running figures, in one transaction. */
  addSamples(walkId: string, samples: readonly TrackSample[], figures: (all: TrackSample[]) => WalkFigures): Promise<WalkRecord>;
  /** The walk's samples in time order (empty once reduced). */
  samples(walkId: string): Promise<TrackSample[]>;
  /** Ends a walk with its final figures and status. */
  finishWalk(walkId: string, endedAt: string, status: Exclude<WalkStatus, 'open'>, figures: WalkFigures): Promise<WalkRecord>;
  /** Newest first (by start), with the same who-filter as listCheckins. */
  listWalks(filter: PatrolListFilter): Promise<WalkRecord[]>;
  /** Finished walks that ended in [fromMs, toMs) (coverage figures). */
  walkRows(fromMs: number, toMs: number): Promise<WalkRow[]>;
  /** Each road's last finished walk before `beforeMs`. */
  lastWalks(beforeMs: number): Promise<Map<string, { endedMs: number; coverage: number; counted: boolean }>>;
  /** Drops the samples of walks that ended before `endedBeforeMs` (keeping their figures); returns how many walks. */
  reduceTracks(endedBeforeMs: number): Promise<number>;
}

// Row mapping shared by both backends.

export interface CheckinRow {
  id: string;
  checkpoint_id: string;
  unit_id: string | null;
  by: string;
  at: string;
  at_ms: number;
  lon: number;
  lat: number;
  accuracy_m: number;
  distance_m: number;
  note: string;
  photo_id: string | null;
  thumb_id: string | null;
}

export const CHECKIN_COLUMNS = ['id', 'checkpoint_id', 'unit_id', 'by', 'at', 'at_ms', 'lon', 'lat', 'accuracy_m', 'distance_m', 'note', 'photo_id', 'thumb_id'] as const;

export function checkinRow(c: CheckinRecord): CheckinRow {
  return {
    id: c.id,
    checkpoint_id: c.checkpointId,
    unit_id: c.unitId,
    by: c.by,
    at: c.at,
    at_ms: Date.parse(c.at),
    lon: c.lon,
    lat: c.lat,
    accuracy_m: c.accuracyM,
    distance_m: c.distanceM,
    note: c.note,
    photo_id: c.photoId,
    thumb_id: c.thumbId,
  };
}

export const toCheckin = (r: CheckinRow): CheckinRecord => ({
  id: r.id,
  checkpointId: r.checkpoint_id,
  unitId: r.unit_id,
  by: r.by,
  at: r.at,
  lon: r.lon,
  lat: r.lat,
  accuracyM: r.accuracy_m,
  distanceM: r.distance_m,
  note: r.note,
  photoId: r.photo_id,
  thumbId: r.thumb_id,
});

export interface WalkDbRow {
  id: string;
  road_id: string;
  unit_id: string | null;
  by: string;
  started_at: string;
  started_ms: number;
  ended_at: string | null;
  ended_ms: number | null;
  status: WalkStatus;
  length_m: number;
  covered_m: number;
  coverage: number;
  samples: number;
  jumps: number;
  inaccurate: number;
  track_kept: boolean | number;
}

export const WALK_COLUMNS = [
  'id', 'road_id', 'unit_id', 'by', 'started_at', 'started_ms', 'ended_at', 'ended_ms', 'status', 'length_m', 'covered_m', 'coverage', 'samples', 'jumps', 'inaccurate', 'track_kept',
] as const;

export function walkRow(w: WalkRecord): WalkDbRow {
  return {
    id: w.id,
    road_id: w.roadId,
    unit_id: w.unitId,
    by: w.by,
    started_at: w.startedAt,
    started_ms: Date.parse(w.startedAt),
    ended_at: w.endedAt,
    ended_ms: w.endedAt ? Date.parse(w.endedAt) : null,
    status: w.status,
    length_m: w.lengthM,
    covered_m: w.coveredM,
    coverage: w.coverage,
    samples: w.samples,
    jumps: w.jumps,
    inaccurate: w.inaccurate,
    track_kept: w.trackKept,
  };
}

export const toWalk = (r: WalkDbRow): WalkRecord => ({
  id: r.id,
  roadId: r.road_id,
  unitId: r.unit_id,
  by: r.by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  status: r.status,
  lengthM: r.length_m,
  coveredM: r.covered_m,
  coverage: r.coverage,
  samples: r.samples,
  jumps: r.jumps,
  inaccurate: r.inaccurate,
  trackKept: r.track_kept === true || r.track_kept === 1,
});

export interface SampleRow {
  at_ms: number;
  lon: number;
  lat: number;
  accuracy_m: number;
}
export const toSample = (r: SampleRow): TrackSample => ({ atMs: r.at_ms, lon: r.lon, lat: r.lat, accuracyM: r.accuracy_m });

export interface PhotoRow {
  id: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  uploaded_at: string;
  uploaded_by: string;
}
export const PHOTO_SELECT = 'id, mime, bytes, width, height, uploaded_at, uploaded_by';
export const toPhoto = (r: PhotoRow) => ({ id: r.id, mime: r.mime, bytes: r.bytes, width: r.width, height: r.height, uploadedAt: r.uploaded_at, uploadedBy: r.uploaded_by });
