import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZoneEditResponse, ZoneHistoryEntry } from '../../../core/api/api-schema';
import { ApiRequestError } from '../../api/http';
import { rollbackZone, zoneHistoryQueryOptions } from '../../api/zone-edits';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format-date';
import { ConfirmDialog } from './confirm-dialog';
import type { EditLayer } from '../../../core/edit/edit-layer';

type Entry = z.infer<typeof ZoneHistoryEntry>;

/**
 * A zone's history: who changed it, when, with which comment, and how many issues moved. Picking
 * a version outlines it on the map (before red, after green); a planner may roll back to any
 * earlier version (saved as a new version, neighbours included) after confirming what it does
 * and saying why (the comment is required, like a save's).
 */
export function HistoryPanel({
  layer,
  id,
  currentVersion,
  canRollback,
  rollbackBlocked,
  name,
  onShowDiff,
  onRolledBack,
}: {
  layer: EditLayer;
  id: string;
  /** The zone's name, for the confirmation. */
  name?: string;
  /** Why rollback is not possible now (shown on the disabled button). */
  rollbackBlocked?: string | null;
  currentVersion: number | null;
  /** False while the session has unsaved edits (a rollback would be lost under them) or without the role. */
  canRollback: boolean;
  onShowDiff: (entry: { before: unknown; after: unknown } | null) => void;
  onRolledBack: (result: ZoneEditResponse) => void;
}) {
  const { t } = useI18n();
  const history = useQuery(zoneHistoryQueryOptions(layer, id));
  const actor = (entry: Pick<Entry, 'by' | 'byName'>) => (entry.by === 'seed' ? t('history.seed') : entry.by === 'system' ? t('history.system') : entry.byName);
  const [shown, setShown] = useState<number | null>(null);
  const [asking, setAsking] = useState<Entry | null>(null);
  const rollback = useMutation({
    mutationFn: ({ version, note }: { version: number; note: string }) => rollbackZone(layer, id, version, note),
    onSuccess: (result) => {
      setAsking(null);
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
              <strong>v{entry.version}</strong> {t(`plan.history.${entry.action}` as MessageKey)} · {actor(entry)} · {formatDateTime(entry.at)}
              {entry.note && <div className="muted">“{entry.note}”</div>}
              {entry.reassignedIssueIds.length > 0 && <div className="muted">{t('plan.history.reassigned', { count: entry.reassignedIssueIds.length })}</div>}
            </button>
            {entry.after !== null && entry.version !== currentVersion && (
              <button
                type="button"
                className="rollback"
                disabled={!canRollback || rollback.isPending}
                title={!canRollback ? (rollbackBlocked ?? undefined) : undefined}
                onClick={() => setAsking(entry)}
              >
                {t('plan.history.rollback')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {asking && (
        <ConfirmDialog
          title={t('safe.rollback.title', { version: asking.version })}
          body={t('safe.rollback.body', { name: name ?? id, version: asking.version, by: actor(asking), at: formatDateTime(asking.at) })}
          commentLabel={t('safe.rollback.comment')}
          confirmLabel={t('safe.rollback.confirm')}
          busy={rollback.isPending}
          error={rollback.error ? (rollback.error instanceof ApiRequestError ? rollback.error.message : String(rollback.error)) : null}
          onConfirm={(note) => rollback.mutate({ version: asking.version, note })}
          onCancel={() => {
            setAsking(null);
            rollback.reset();
          }}
        />
      )}
    </div>
  );
}
