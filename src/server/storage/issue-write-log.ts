import { issueMayMatch } from './issue-query';
import type { IssueFilter, IssueRecord } from './repository';

/** One issue as a write found it and as it left it (null: did not exist / no longer exists). */
export interface IssueChange {
  before: IssueRecord | null;
  after: IssueRecord | null;
}

/**
 * Whether a write could have changed what `filter` matches — its rows or its status counts (the
 * status filter left out): the issue as it was or as it is may match.
 */
export function changeMayTouch({ before, after }: IssueChange, filter: IssueFilter): boolean {
  return (before !== null && issueMayMatch(before, filter, true)) || (after !== null && issueMayMatch(after, filter, true));
}

/** Data revisions remembered (about 1-2 KB each); older ones are unknown (a reader that far behind drops everything). */
const KEPT_REVISIONS = 1024;

/**
 * What each of this process's own issue writes changed, by the data revision it committed: a
 * report (before null) or an update of one issue (designate, transition, reassign). The ledger's
 * caches (services/ledger-page-cache.ts, ledger-counts.ts) use it to tell, when the revision moves,
 * whether the write could have changed a kept page or total — instead of dropping every one.
 *
 * Only what is recorded is known: a revision moved by another process or instance, by a zone edit
 * or an import (several issues at once) or by a write whose record landed after the reader looked,
 * is unknown, and the caches then do what they did without it (drop and read again).
 */
export class IssueWriteLog {
  private readonly byRevision = new Map<number, readonly IssueChange[]>();

  /** Records that the write which moved the data revision to `revision` changed `changes` (and nothing else). */
  record(revision: number, changes: readonly IssueChange[]): void {
    this.byRevision.delete(revision);
    this.byRevision.set(revision, changes);
    while (this.byRevision.size > KEPT_REVISIONS) this.byRevision.delete(this.byRevision.keys().next().value!);
  }

  /**
   * Every change between two data revisions (after `from`, up to and including `to`), or null when
   * any revision in between is unknown (or `to` < `from`). Empty when they are equal.
   */
  between(from: number, to: number): IssueChange[] | null {
    if (to < from || to - from > KEPT_REVISIONS) return null;
    const changes: IssueChange[] = [];
    for (let r = from + 1; r <= to; r++) {
      const known = this.byRevision.get(r);
      if (!known) return null;
      changes.push(...known);
    }
    return changes;
  }
}
