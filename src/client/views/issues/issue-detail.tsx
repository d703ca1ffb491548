import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IssueDetailResponse, LayerParam } from '../../../core/api/api-schema';
import { ISSUE_CATEGORY_INFO, ISSUE_SOURCE_LABELS } from '../../../core/district/catalog';
import type { Unit } from '../../../core/district/district-schema';
import type { IssueAction } from '../../../core/issues/issue-schema';
import { ApiRequestError } from '../../api/http';
import { issueDetailQueryOptions } from '../../api/issue-detail';
import { transitionIssue } from '../../api/transition';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { LayerCollection } from '../../map/map-data';
import { ACTIONS_NAMING_OWNER, actionsFor } from '../shared/role-actions';
import { useSessionUser } from '../shared/session';
import { formatDateTime } from './format-time';

type Action = Exclude<IssueAction, 'report'>;

/** One issue: its facts, where it is, who owns it and why, its history, and what the signed-in role may do. */
export function IssueDetail({
  id,
  units,
  geometry,
  timeZone,
  onClose,
}: {
  id: string;
  units: readonly Unit[];
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  timeZone: string;
  onClose: () => void;
}) {
  const { t, label } = useI18n();
  const detail = useQuery(issueDetailQueryOptions(id));
  const issue = detail.data;
  if (detail.error) {
    return (
      <aside className="side-panel issue-detail" role="alert">
        {detail.error.message}
      </aside>
    );
  }
  if (!issue) return <aside className="side-panel issue-detail">{t('status.loading')}</aside>;
  const unitName = (unitId: string | null | undefined) => (unitId ? (units.find((u) => u.id === unitId)?.name ?? unitId) : '—');
  const featureName = (layer: LayerParam, fid: string | null) =>
    fid ? String(geometry[layer]?.features.find((f) => f.id === fid)?.properties.name ?? fid) : '—';
  const a = issue.assignment;
  return (
    <aside className="side-panel issue-detail" aria-label={t('detail.title', { code: issue.code })}>
      <header>
        <span className={`status status-${issue.status}`}>{t(`issueStatus.${issue.status}` as MessageKey)}</span>
        {issue.overdue && <span className="overdue-badge">{t('issues.overdue')}</span>}
        <h2>{t('detail.title', { code: issue.code })}</h2>
        <button type="button" className="close" aria-label={t('panel.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <dl>
        <dt>{t('report.category')}</dt>
        <dd>{label(ISSUE_CATEGORY_INFO[issue.category])}</dd>
        <dt>{t('detail.description')}</dt>
        <dd>{issue.description || '—'}</dd>
        <dt>{t('detail.source')}</dt>
        <dd>
          {label(ISSUE_SOURCE_LABELS[issue.source])} · {t(`severity.${issue.severity}` as MessageKey)}
        </dd>
        <dt>{t('detail.reportedAt')}</dt>
        <dd>{formatDateTime(issue.reportedAt, timeZone)}</dd>
        <dt>{t('detail.deadline')}</dt>
        <dd className={issue.overdue ? 'overdue' : ''}>{formatDateTime(issue.deadline, timeZone)}</dd>
        <dt>{t('detail.location')}</dt>
        <dd>
          {featureName('streets', a.streetId)} › {featureName('communities', a.communityId)} › {featureName('grids', a.gridId)}
          <br />
          <small>
            {issue.lon.toFixed(6)}, {issue.lat.toFixed(6)}
          </small>
        </dd>
        <dt>{t('detail.assignment')}</dt>
        <dd>
          <strong>{unitName(issue.unitId)}</strong> · {t(`rule.${a.rule}` as MessageKey)}
          {a.roadId && ` · ${featureName('roads', a.roadId)}`}
          {a.checkpointId && ` · ${featureName('checkpoints', a.checkpointId)}`}
          {a.distanceM !== null && a.distanceM > 0 && ` · ${t('lookup.distance', { metres: Math.round(a.distanceM) })}`}
        </dd>
      </dl>
      <TransitionButtons issue={issue} units={units} />
      <h3>{t('detail.history')}</h3>
      <ol className="history">
        {issue.history.map((h, i) => (
          <li key={i}>
            <time>{formatDateTime(h.at, timeZone)}</time> <strong>{t(`action.${h.action}` as MessageKey)}</strong>{' '}
            {h.from && `${t(`issueStatus.${h.from}` as MessageKey)} → `}
            {t(`issueStatus.${h.to}` as MessageKey)} · {h.by}
            {h.unitId && ` · ${unitName(h.unitId)}`}
            {h.note && <p className="note">{h.note}</p>}
          </li>
        ))}
      </ol>
    </aside>
  );
}

function TransitionButtons({ issue, units }: { issue: IssueDetailResponse; units: readonly Unit[] }) {
  const { t } = useI18n();
  const user = useSessionUser() ?? null;
  const client = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const [unitId, setUnitId] = useState('');
  const mutation = useMutation({
    mutationFn: () => transitionIssue(issue.id, { action: action!, note, unitId: unitId || undefined }),
    onSuccess: (next) => {
      client.setQueryData(issueDetailQueryOptions(issue.id).queryKey, next);
      void client.invalidateQueries({ queryKey: ['issues'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      void client.invalidateQueries({ queryKey: ['summary'] });
      setAction(null);
      setNote('');
      setUnitId('');
    },
  });
  const allowed = issue.allowedActions.filter((a): a is Action => a !== 'report');
  const mine = actionsFor(user, issue, allowed);
  if (!user) return <p className="hint">{t('detail.signInForActions')}</p>;
  if (mine.length === 0) return <p className="hint">{t('detail.noActions')}</p>;
  const needsUnit = action !== null && ACTIONS_NAMING_OWNER.has(action);
  const error = mutation.error;
  return (
    <div className="transitions">
      <h3>{t('detail.actions')}</h3>
      <div className="buttons" role="group" aria-label={t('detail.actions')}>
        {mine.map((a) => (
          <button key={a} type="button" aria-pressed={action === a} onClick={() => setAction(action === a ? null : a)}>
            {t(`action.${a}` as MessageKey)}
          </button>
        ))}
      </div>
      {action && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate();
          }}
        >
          {needsUnit && (
            <label>
              {t('detail.unitForAction')}
              <select name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)} required>
                <option value="">{t('detail.chooseUnit')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t('detail.note')}
            <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} required={action === 'dispute'} />
          </label>
          <button type="submit" className="primary" disabled={mutation.isPending || (needsUnit && !unitId)}>
            {t(`action.${action}` as MessageKey)}
          </button>
        </form>
      )}
      {error && (
        <p className="field-error" role="alert">
          {t('detail.actionFailed', { message: error instanceof ApiRequestError ? error.message : String(error) })}
        </p>
      )}
    </div>
  );
}
