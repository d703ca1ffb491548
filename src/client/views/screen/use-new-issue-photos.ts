import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { issueDetailQueryOptions } from '../../api/issue-detail';
import { photoUrl } from '../../api/photos';
import type { IssuePoint } from '../../map/issue-points';

/** At most this many new issues' details are asked for per refresh (a burst of imports has no photos to show). */
const MAX_LOOKUPS = 5;

/**
 * The new issues of a refresh with the thumbnail of their latest photo, for the ring on the map:
 * the details of a few new issues are fetched once (they are new: no cache to trust), then the
 * list is handed on; issues without photos go on as they are. Nothing is kept between refreshes.
 */
export function useNewIssuePhotos(fresh: readonly IssuePoint[]): IssuePoint[] {
  const client = useQueryClient();
  const [withPhotos, setWithPhotos] = useState<IssuePoint[]>([]);
  useEffect(() => {
    if (fresh.length === 0) return;
    let cancelled = false;
    void Promise.all(
      fresh.map(async (issue, i) => {
        if (i >= MAX_LOOKUPS) return issue;
        try {
          const detail = await client.fetchQuery({ ...issueDetailQueryOptions(issue.id), gcTime: 0 });
          const photo = detail.history.flatMap((h) => h.photos ?? []).at(-1);
          return photo ? { ...issue, photo: photoUrl(photo.thumbId) } : issue;
        } catch {
          return issue;
        }
      }),
    ).then((list) => {
      if (!cancelled) setWithPhotos(list);
    });
    return () => {
      cancelled = true;
    };
  }, [fresh, client]);
  return withPhotos;
}
