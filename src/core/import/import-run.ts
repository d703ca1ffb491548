import type { ImportSource } from './import-source';
import { severityOf, type ImportCode, type ImportProblem, type ImportSourceSummary } from './import-report';
import type { RepairKind } from './geometry-repair';
import type { ImportOptions, ImportStage } from './import-types';

/**
 * What every stage of one import shares: the caller's options, the problems found so far, the
 * summary of each file, the repairs applied and the progress callback. Stages add to it; none
 * removes anything, so the report at the end holds everything any stage saw.
 */
export interface ImportRun {
  readonly options: ImportOptions;
  /** The repairs the user accepted. */
  readonly repairs: ReadonlySet<RepairKind>;
  readonly problems: ImportProblem[];
  /** One per file, in file order; the file's stages fill it in (layer, CRS, mapping, extent). */
  readonly summaries: ImportSourceSummary[];
  /** Places each repair changed (rings, vertices or features, as geometry-repair counts them). */
  readonly repairsApplied: Record<string, number>;
  readonly progress: (stage: ImportStage, done: number, total: number | null) => void;
  /** Features read so far over all files (progress counts them across files). */
  featuresRead: number;
  /** The language of the report's messages (the app's, or LANG for the CLI); Chinese by default. */
  readonly lang: 'zh' | 'en';
  /** The message in the run's language. */
  say(zh: string, en: string): string;
  /** What the files tell of a new district (its name, in a 区县名 attribute). */
  readonly hints: { districtName?: string };
}

/** A fresh run for `options`. */
export function startRun(options: ImportOptions): ImportRun {
  return {
    options,
    repairs: new Set(options.repairs ?? []),
    problems: [],
    summaries: [],
    repairsApplied: {},
    progress: options.onProgress ?? (() => undefined),
    featuresRead: 0,
    lang: options.lang ?? 'zh',
    say: (zh, en) => ((options.lang ?? 'zh') === 'zh' ? zh : en),
    hints: {},
  };
}

/** Adds a problem at its code's severity. */
export function addProblem(run: ImportRun, code: ImportCode, fields: Omit<ImportProblem, 'code' | 'severity'>): void {
  run.problems.push({ code, severity: severityOf(code), ...fields });
}

/** Counts `changes` places changed by a repair. */
export function countRepair(run: ImportRun, kind: RepairKind, changes: number): void {
  run.repairsApplied[kind] = (run.repairsApplied[kind] ?? 0) + changes;
}

/** Starts the summary of a file (the stages fill in the rest) and adds it to the run. */
export function summarize(run: ImportRun, source: ImportSource): ImportSourceSummary {
  const summary: ImportSourceSummary = {
    name: source.name,
    format: source.format,
    layer: null,
    crs: null,
    crsFrom: null,
    crsNote: source.crsNote,
    encoding: source.encoding,
    fields: source.fields,
    mapping: {},
    mappingReasons: {},
    features: 0,
    bbox: null,
  };
  run.summaries.push(summary);
  return summary;
}
