import { useEffect, useRef, useState } from 'react';
import type { IssuePoint } from '../../map/issue-points';

/**
 * The open issues that were not there at the previous refresh (reported or reopened since), for
 * the map's short "new issue" animation. Nothing on the first load. Keeps only the ids of the
 * current list, so it does not grow over the hours.
 */
export function useNewIssues(issues: readonly IssuePoint[]): IssuePoint[] {
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<IssuePoint[]>([]);
  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(issues.map((i) => i.id));
    if (!previous) return;
    const added = issues.filter((i) => !previous.has(i.id));
    if (added.length) setFresh(added);
  }, [issues]);
  return fresh;
}
