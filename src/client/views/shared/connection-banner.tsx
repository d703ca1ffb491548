import { useCallback, useSyncExternalStore } from 'react';
import { notifyManager, useQueryClient } from '@tanstack/react-query';
import { isTransientError } from '../../api/http';
import { useI18n } from '../../i18n/i18n';

/**
 * True while some query is failing for a reason that retrying may fix (server down, network gone,
 * 5xx). Watches the query cache instead of polling a health endpoint of its own: the queries that
 * matter are already retrying with backoff.
 *
 * Through useSyncExternalStore, which re-renders only when the answer changes. (It was a useState
 * set on every cache event: React keeps each same-value update queued on the hook until the
 * component renders again, and this one never does while all is well, so a wall display polling
 * every 2 s queued about 30 updates a second — 1.6 MB of the JS heap per 10 minutes.)
 */
export function useConnectionProblem(): boolean {
  const cache = useQueryClient().getQueryCache();
  // The cache also notifies while another component renders (a query built by a new key): the
  // change is passed on after that render, as React Query's own observers do.
  const subscribe = useCallback((onChange: () => void) => cache.subscribe(() => notifyManager.schedule(onChange)), [cache]);
  const failing = useCallback(
    () => cache.getAll().some((query) => query.state.fetchFailureCount > 0 && isTransientError(query.state.fetchFailureReason ?? query.state.error)),
    [cache],
  );
  return useSyncExternalStore(subscribe, failing, () => false);
}

/** A banner while the server cannot be reached; queries keep retrying by themselves. */
export function ConnectionBanner() {
  const { t } = useI18n();
  const client = useQueryClient();
  const problem = useConnectionProblem();
  if (!problem) return null;
  return (
    <div className="connection-banner" role="status" aria-live="polite">
      <span>{t('status.offlineRetrying')}</span>
      <button type="button" onClick={() => void client.refetchQueries({ type: 'active' })}>
        {t('status.retryNow')}
      </button>
    </div>
  );
}
