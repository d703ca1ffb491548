import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZoneEditResponse, ZoneHistoryEntry } from '../../../core/api/api-schema';
import { ApiRequestError } from '../../api/http';
import { rollbackZone, zoneHistoryQueryOptions } from '../../api/zone-edits';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { EditLayer } from '../../../core/edit/edit-layer';

type Entry = z.infer<typeof ZoneHistoryEntry>;

/**
 * A zone's history: who changed it, when, with which comment, and how many issues moved. Picking
 * a version outlines it on the map (before red, after green); a planner may roll back to any
 * earlier version (saved as a new version, neighbours included).
 */
export function HistoryPanel({
  layer,
  id,
  currentVersion,
  canRollback,
  onShowDiff,
  onRolledBack,
}: {
  layer: EditLayer;
  id: string;
  currentVersion: number | null;
  /** False while the session has unsaved edits (a rollback would be lost under them) or without the role. */
  canRollback: boolean;
  onShowDiff: (entry: { before: unknown; after: unknown } | null) => void;
  onRolledBack: (result: ZoneEditResponse) => void;
}) {
  const { t } = useI18n();
  const history = useQuery(zoneHistoryQueryOptions(layer, id));
  const [shown, setShown] = useState<number | null>(null);
  const rollback = useMutation({
    mutationFn: (version: number) => rollbackZone(layer, id, version),
    onSuccess: (result) => {
      setShown(null);
      onShowDiff(null);
      onRolledBack(result);
      void history.refetch();
    },
  });
  if (history.isLoading) return <p>{t('status.loading')}</p>;
  if (history.error) return <p className="field-error">{(history.error as Error).message}</p>;
  const entries = [...(history.data?.history ?? [])].reverse();
  const show = (entry: Entry) => {
    if (shown === entry.editId) {
      setShown(null);
      onShowDiff(null);
    } else {
      setShown(entry.editId);
      onShowDiff({ before: entry.before, after: entry.after });
    }
  };
  return (
    <div className="plan-history" data-testid="history-panel">
      <ol>
        {entries.map((entry) => (
          <li key={`${entry.editId}-${entry.version}`} className={shown === entry.editId ? 'shown' : ''}>
            <button type="button" className="history-entry" onClick={() => show(entry)}>
              <strong>v{entry.version}</strong> {t(`plan.history.${entry.action}` as MessageKey)} · {entry.by} · {new Date(entry.at).toLocaleString()}
              {entry.note && <div className="muted">“{entry.note}”</div>}
              {entry.reassignedIssueIds.length > 0 && <div className="muted">{t('plan.history.reassigned', { count: entry.reassignedIssueIds.length })}</div>}
            </button>
            {entry.after !== null && entry.version !== currentVersion && (
              <button type="button" className="rollback" disabled={!canRollback || rollback.isPending} onClick={() => rollback.mutate(entry.version)}>
                {t('plan.history.rollback')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {rollback.error && (
        <p className="field-error" role="alert">
          {rollback.error instanceof ApiRequestError ? rollback.error.message : String(rollback.error)}
        </p>
      )}
    </div>
  );
}
