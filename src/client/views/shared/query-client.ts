import { QueryClient } from '@tanstack/react-query';
import { isTransientError } from '../../api/http';

/** Backoff between retries: 1 s, 2 s, 4 s … capped at 30 s, so a restarted server is found soon. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt);
}

/**
 * The app's QueryClient: reads retry forever while the server is unreachable (the banner says
 * so), and never retry a 4xx, which would only fail again. Writes are never retried.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (_count, error) => isTransientError(error),
        retryDelay,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
