import { resolve } from 'node:path';
import { ISSUE_CATEGORIES } from '../core/district/catalog';
import type { EvidencePolicy } from '../core/issues/issue-evidence';
import { DEFAULT_PATROL_SETTINGS, type PatrolSettings } from '../core/patrol/patrol-settings';

/**
 * The field loop's settings (photos, evidence, patrols), read once from the environment with
 * the rest of the configuration (config.ts); defaults in README "Photos and patrols".
 */
export interface FieldConfig {
  /** DUTYMAP_PHOTOS: the photo folder of a SQLite database (null: `<db name>-photos/` beside the file). Unused on PostgreSQL. */
  photoDir: string | null;
  /** DUTYMAP_PHOTO_GRACE_HOURS: an uploaded photo nothing refers to is swept after this many hours. Default 24. */
  photoGraceHours: number;
  /** DUTYMAP_SWEEP_MINUTES: how often the server sweeps orphan photos and old tracks. Default 60. */
  sweepMinutes: number;
  /** DUTYMAP_AFTER_PHOTO_EXEMPT: categories that may be submitted as rectified without an "after" photo (comma list, or *). Default none. */
  evidence: EvidencePolicy;
  /** DUTYMAP_CHECKIN_RADIUS_M, DUTYMAP_GPS_ACCURACY_M, DUTYMAP_WALK_BUFFER_M, DUTYMAP_WALK_COVERAGE, DUTYMAP_WALK_MAX_KMH, DUTYMAP_TRACK_DAYS. */
  patrol: PatrolSettings;
  /** DUTYMAP_WALK_SAMPLE_SECONDS: how often the patrol page samples GPS during a road walk. Default 10. */
  sampleSeconds: number;
  /** DUTYMAP_RANKING_COVERAGE: weight (0…1) of checkpoint coverage in the 红黑榜 of units. Default 0 (off). */
  rankingCoverageWeight: number;
}

/** Parses the field settings; throws with a clear message on a bad value. */
export function readFieldConfig(env: NodeJS.ProcessEnv, cwd: string): FieldConfig {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const exempt = (env.DUTYMAP_AFTER_PHOTO_EXEMPT ?? '').trim();
  const categories = exempt === '*' ? '*' : exempt.split(',').map((c) => c.trim()).filter(Boolean);
  if (categories !== '*') {
    const unknown = categories.filter((c) => !(ISSUE_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length) throw new Error(`DUTYMAP_AFTER_PHOTO_EXEMPT names unknown categories: ${unknown.join(', ')} (known: ${ISSUE_CATEGORIES.join(', ')}, or *)`);
  }
  return {
    photoDir: env.DUTYMAP_PHOTOS ? resolve(cwd, env.DUTYMAP_PHOTOS) : null,
    photoGraceHours: number('DUTYMAP_PHOTO_GRACE_HOURS', 24, 0, 24 * 365),
    sweepMinutes: number('DUTYMAP_SWEEP_MINUTES', 60, 1, 24 * 60),
    evidence: { afterPhotoExempt: categories },
    patrol: {
      checkinRadiusM: number('DUTYMAP_CHECKIN_RADIUS_M', DEFAULT_PATROL_SETTINGS.checkinRadiusM, 1, 5000),
      maxAccuracyM: number('DUTYMAP_GPS_ACCURACY_M', DEFAULT_PATROL_SETTINGS.maxAccuracyM, 1, 5000),
      walkBufferM: number('DUTYMAP_WALK_BUFFER_M', DEFAULT_PATROL_SETTINGS.walkBufferM, 1, 1000),
      walkMinCoverage: number('DUTYMAP_WALK_COVERAGE', DEFAULT_PATROL_SETTINGS.walkMinCoverage, 0, 1),
      maxSpeedKmh: number('DUTYMAP_WALK_MAX_KMH', DEFAULT_PATROL_SETTINGS.maxSpeedKmh, 1, 1000),
      trackRetentionDays: number('DUTYMAP_TRACK_DAYS', DEFAULT_PATROL_SETTINGS.trackRetentionDays, 0, 3650),
    },
    sampleSeconds: number('DUTYMAP_WALK_SAMPLE_SECONDS', 10, 1, 600),
    rankingCoverageWeight: number('DUTYMAP_RANKING_COVERAGE', 0, 0, 1),
  };
}
