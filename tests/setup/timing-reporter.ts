/**
 * A vitest reporter (vite.config.ts adds it next to the default one) that keeps the suite's time
 * visible: when DUTYMAP_TEST_TIMINGS names a file, it writes there, as JSON, the wall time of the
 * run, per project the files, the busy time (sum of each file's wall time: set-up in the worker,
 * imports, hooks and tests) and the span (first file queued to last file done), and every file's
 * figures; and it prints the per-project totals and the slowest files. `.ci/run` sets it and
 * prints the figures with its other phases. Without the variable it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** One test file's figures, seconds. */
export interface FileTiming {
  project: string;
  file: string;
  state: string;
  /**
   * What the file cost its worker: the environment and harness set-up in the fresh worker, then
   * import → all its tests and hooks done (the fork's own start is not seen by a reporter).
   */
  wallS: number;
  /** Environment (node, jsdom) and test harness set-up in the worker. */
  setupS: number;
  /** When its set-up began, seconds after vitest started (shows the order and the overlap). */
  startS: number;
  /** Importing the file and what it imports (vitest's collectDuration). */
  importS: number;
  /** Its tests and hooks (vitest's duration). */
  testsS: number;
}

export interface SuiteTimings {
  startedAt: string;
  /** Epoch ms when vitest started (the reporter's onInit). */
  startedAtMs: number;
  wallS: number;
  projects: Record<string, { files: number; busyS: number; spanS: number }>;
  files: FileTiming[];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

export default class TimingReporter implements Reporter {
  private readonly out = process.env.DUTYMAP_TEST_TIMINGS;
  private startedAt = Date.now();
  private readonly queuedAt = new Map<string, number>();
  private readonly endedAt = new Map<string, number>();
  private root = process.cwd();

  onInit(vitest: { config: { root: string } }): void {
    this.startedAt = Date.now();
    this.root = vitest.config.root;
  }

  onTestModuleQueued(module: TestModule): void {
    this.queuedAt.set(module.id, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    this.endedAt.set(module.id, Date.now());
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (!this.out) return;
    const now = Date.now();
    const files: FileTiming[] = [];
    const spans = new Map<string, { first: number; last: number; busy: number; files: number }>();
    for (const module of modules) {
      const project = module.project.name || 'default';
      const diagnostic = module.diagnostic();
      const setup = diagnostic.environmentSetupDuration + diagnostic.prepareDuration;
      const end = this.endedAt.get(module.id) ?? now;
      const start = (this.queuedAt.get(module.id) ?? end) - setup;
      files.push({
        project,
        file: relative(this.root, module.moduleId),
        state: module.state(),
        wallS: seconds(end - start),
        setupS: seconds(setup),
        startS: seconds(start - this.startedAt),
        importS: seconds(diagnostic.collectDuration),
        testsS: seconds(diagnostic.duration),
      });
      const span = spans.get(project) ?? { first: start, last: end, busy: 0, files: 0 };
      span.first = Math.min(span.first, start);
      span.last = Math.max(span.last, end);
      span.busy += end - start;
      span.files++;
      spans.set(project, span);
    }
    files.sort((a, b) => b.wallS - a.wallS);
    const projects = Object.fromEntries(
      [...spans].map(([name, s]) => [name, { files: s.files, busyS: seconds(s.busy), spanS: seconds(s.last - s.first) }]),
    );
    const timings: SuiteTimings = { startedAt: new Date(this.startedAt).toISOString(), startedAtMs: this.startedAt, wallS: seconds(now - this.startedAt), projects, files };
    writeFileSync(this.out, JSON.stringify(timings, null, 2) + '\n');
    const lines = [`vitest ${timings.wallS.toFixed(0)} s wall; per project (files, busy = sum of file wall times, span = first started → last done):`];
    for (const [name, p] of Object.entries(projects)) lines.push(`  ${name.padEnd(9)} ${String(p.files).padStart(3)} files  busy ${p.busyS.toFixed(0).padStart(4)} s  span ${p.spanS.toFixed(0).padStart(4)} s`);
    lines.push('slowest files (wall s, of which import s):');
    for (const f of files.slice(0, 12)) lines.push(`  ${f.wallS.toFixed(1).padStart(6)} ${f.importS.toFixed(1).padStart(5)}  ${f.project.padEnd(9)} ${f.file}`);
    process.stdout.write(`\n${lines.join('\n')}\n(all files: ${this.out})\n`);
  }
}
