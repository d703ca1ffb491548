import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format-date';

export interface ConflictEntry {
  id: string;
  name: string;
  /** The version this session edited, and the one stored now (null: deleted meanwhile). */
  mine: number;
  theirs: number | null;
  by: string | null;
  at: string | null;
  note: string | null;
}

/**
 * Someone saved the same zones first (412). Both versions are shown — theirs outlined in purple,
 * this session's in dashed blue on the map — and the planner chooses: reload their version and
 * re-apply these edits on top (then check and save again), or drop these edits. Nothing is
 * ever overwritten silently.
 */
export function ConflictDialog({
  entries,
  busy,
  onReapply,
  onDiscard,
  onClose,
}: {
  entries: readonly ConflictEntry[];
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="plan-conflict" role="alertdialog" aria-labelledby="conflict-title" data-testid="conflict-dialog">
      <h2 id="conflict-title">{t('plan.conflict.title')}</h2>
      <p>{t('plan.conflict.explain')}</p>
      <table>
        <thead>
          <tr>
            <th>{t('plan.conflict.feature')}</th>
            <th>{t('plan.conflict.mine')}</th>
            <th>{t('plan.conflict.theirs')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.name}</td>
              <td>
                <span className="swatch mine" /> v{e.mine}
              </td>
              <td>
                <span className="swatch theirs" /> {e.theirs === null ? t('plan.conflict.deleted') : `v${e.theirs}`}
                {e.by && <div className="muted">{t('plan.conflict.savedBy', { by: e.by, at: e.at ? formatDateTime(e.at) : '' })}</div>}
                {e.note && <div className="muted">“{e.note}”</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          {t('plan.conflict.keepLooking')}
        </button>
        <button type="button" onClick={onDiscard} disabled={busy}>
          {t('plan.conflict.discard')}
        </button>
        <button type="button" className="primary" onClick={onReapply} disabled={busy}>
          {t('plan.conflict.reapply')}
        </button>
      </div>
    </div>
  );
}
