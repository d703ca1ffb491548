import { useEffect, useState } from 'react';
import { notifyManager, useQueryClient } from '@tanstack/react-query';
import { isTransientError } from '../../api/http';
import { useI18n } from '../../i18n/i18n';

/**
 * True while some query is failing for a reason that retrying may fix (server down, network gone,
 * 5xx). Watches the query cache instead of polling a health endpoint of its own: the queries that
 * matter are already retrying with backoff.
 */
export function useConnectionProblem(): boolean {
  const client = useQueryClient();
  const [problem, setProblem] = useState(false);
  useEffect(() => {
    const cache = client.getQueryCache();
    const check = () => {
      const failing = cache
        .getAll()
        .some((query) => query.state.fetchFailureCount > 0 && isTransientError(query.state.fetchFailureReason ?? query.state.error));
      setProblem(failing);
    };
    check();
    // The cache also notifies while another component renders (a query built by a new key):
    // setting state then is a React error, so the check runs after the render, as React Query's
    // own observers do.
    return cache.subscribe(() => notifyManager.schedule(check));
  }, [client]);
  return problem;
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
