/**
 * core/patrol — the field loop's daily patrols (巡查打卡): check-ins at checkpoints, road walks
 * sampled by GPS, and the coverage figures the large screen, the bulletin and the 红黑榜 read.
 * Pure: positions, geometry and times in, decisions and figures out; the server stores and the
 * browser samples. Built on core/geometry's distances and point location (never a copy).
 */

/** The rules of a patrol, settable per deployment (server configuration). */
export interface PatrolSettings {
  /** A check-in counts within this distance of a point checkpoint, metres (default 50). */
  checkinRadiusM: number;
  /** A GPS fix is used only when its reported accuracy is at most this, metres (default 50). */
  maxAccuracyM: number;
  /** A road counts as walked where a sample came within this distance of its centreline, metres (default 25). */
  walkBufferM: number;
  /** A walk counts when it covers at least this share of the road's length, 0…1 (default 0.6). */
  walkMinCoverage: number;
  /** A sample reached faster than this from the previous one is a jump, flagged and not counted, km/h (default 120). */
  maxSpeedKmh: number;
  /** Days a walk's samples are kept before it is reduced to its summary (default 90). */
  trackRetentionDays: number;
}

export const DEFAULT_PATROL_SETTINGS: PatrolSettings = {
  checkinRadiusM: 50,
  maxAccuracyM: 50,
  walkBufferM: 25,
  walkMinCoverage: 0.6,
  maxSpeedKmh: 120,
  trackRetentionDays: 90,
};
