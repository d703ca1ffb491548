import { useEffect, useMemo, useRef, useState } from 'react';
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
import { suggestOwners, type OwnedFeature } from '../../../core/assignment/suggest-owners';
import { NOTE_REQUIRED } from '../../../core/issues/issue-roles';
import { ACTIONS_NAMING_OWNER, actionsFor } from '../shared/role-actions';
import { useNameIndex } from '../shared/use-name-index';
import { useSessionUser } from '../shared/session';
import { formatDateTime } from '../../i18n/format-date';
import { IssueEvidence } from './issue-evidence';
import { PhotoGallery } from '../shared/photo-gallery';
import { PhotoPicker } from '../shared/photo-picker';
import { usePhotoUploads } from '../shared/use-photo-uploads';
import { photoKindFor } from '../../../core/issues/issue-evidence';
import { MAX_PHOTOS_PER_STEP } from '../../../core/issues/photo-schema';

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
          {a.streetId || a.communityId || a.gridId ? (
            <>
              {featureName('streets', a.streetId)} › {featureName('communities', a.communityId)} › {featureName('grids', a.gridId)}
            </>
          ) : (
            t('detail.pendingPlace')
          )}
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
      <IssueEvidence history={issue.history} />
      <TransitionButtons issue={issue} units={units} geometry={geometry} />
      <h3>{t('detail.history')}</h3>
      <ol className="history">
        {issue.history.map((h, i) => (
          <li key={i}>
            <time>{formatDateTime(h.at, timeZone)}</time> <strong>{t(`action.${h.action}` as MessageKey)}</strong>{' '}
            {h.from && `${t(`issueStatus.${h.from}` as MessageKey)} → `}
            {t(`issueStatus.${h.to}` as MessageKey)} · {h.by === 'system' ? t('history.system') : h.byName}
            {h.unitId && ` · ${unitName(h.unitId)}`}
            {h.note && <p className="note">{h.note}</p>}
            {h.photos && <PhotoGallery photos={h.photos} className="history-photos" />}
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** The transition panel: one button per allowed action; a chosen action shows what happens next, asks what it needs, and stays in view. */
function TransitionButtons({ issue, units, geometry }: { issue: IssueDetailResponse; units: readonly Unit[]; geometry: Partial<Record<LayerParam, LayerCollection>> }) {
  const { t, lang } = useI18n();
  const user = useSessionUser() ?? null;
  const client = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const [unitId, setUnitId] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const photos = usePhotoUploads();
  const mutation = useMutation({
    mutationFn: (chosen: { action: Action; unitId?: string }) =>
      transitionIssue(issue.id, { action: chosen.action, note: note.trim(), unitId: chosen.unitId, evidence: photoKindFor(chosen.action) ? photos.attachments : [] }),
    onSuccess: (next) => {
      client.setQueryData(issueDetailQueryOptions(issue.id).queryKey, next);
      void client.invalidateQueries({ queryKey: ['issues'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      void client.invalidateQueries({ queryKey: ['summary'] });
      setAction(null);
      setNote('');
      setUnitId('');
      photos.clear();
    },
  });
  // The chosen action's form comes into view (the detail panel scrolls; on a short screen it sat below the fold).
  useEffect(() => {
    if (action) form.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }); // (jsdom has none)
  }, [action]);
  const allowed = issue.allowedActions.filter((a): a is Action => a !== 'report');
  // 交办 and 指定责任单位 do the same from the office queue: one action, one name.
  const mine = actionsFor(user, issue, allowed).filter((a, _i, all) => !(a === 'assign' && all.includes('designate')));
  if (!user) return <p className="hint">{t('detail.signInForActions')}</p>;
  if (mine.length === 0) return <p className="hint">{t('detail.noActions')}</p>;
  const needsUnit = action !== null && ACTIONS_NAMING_OWNER.has(action);
  const needsNote = action !== null ? NOTE_REQUIRED[action] : undefined;
  const noteMissing = !!needsNote && note.trim() === '';
  // A rectification is proven by an after photo (null: this step takes none or does not need one).
  const afterMissing = action === 'submit' && issue.afterPhotoRequired ? photos.attachments.length === 0 : null;
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
          ref={form}
          className="transition-form"
          data-action={action}
          onSubmit={(e) => {
            e.preventDefault();
            if (noteMissing || (needsUnit && !unitId)) return;
            mutation.mutate({ action, unitId: unitId || undefined });
          }}
        >
          <p className="next-step">{t(`next.${action}` as MessageKey)}</p>
          {needsUnit && (
            <OwnerPicker
              issue={issue}
              units={units}
              geometry={geometry}
              busy={mutation.isPending}
              onPick={(id) => {
                setUnitId(id);
                // A suggestion or a search hit designates at once when no note is needed: two clicks in all.
                if (!needsNote) mutation.mutate({ action, unitId: id });
              }}
            />
          )}
          <label>
            {needsNote ? `${label(needsNote, lang)}${t('detail.required')}` : t('detail.note')}
            <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} required={!!needsNote} aria-invalid={noteMissing && note !== ''} />
          </label>
          {photoKindFor(action) && (
            <PhotoPicker uploads={photos} max={MAX_PHOTOS_PER_STEP} required={afterMissing !== null} label={t('evidence.stepPhotos', { kind: t(`photos.kind.${photoKindFor(action)}` as MessageKey) })} />
          )}
          <div className="form-buttons">
            <button
              type="submit"
              className="primary"
              disabled={mutation.isPending || noteMissing || (needsUnit && !unitId) || photos.busy || afterMissing === true}
              title={noteMissing ? t('detail.noteRequired', { what: label(needsNote!, lang) }) : needsUnit && !unitId ? t('detail.chooseUnit') : afterMissing ? t('evidence.afterRequired') : undefined}
            >
              {t('detail.confirmAction', { action: t(`action.${action}` as MessageKey) })}
            </button>
            <button type="button" onClick={() => setAction(null)}>
              {t('detail.cancel')}
            </button>
          </div>
          {noteMissing && <p className="hint">{t('detail.noteRequired', { what: label(needsNote!, lang) })}</p>}
          {afterMissing && <p className="hint">{t('evidence.afterRequired')}</p>}
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

const label = (entry: { zh: string; en: string }, lang: string) => (lang === 'en' ? entry.en : entry.zh);

/**
 * Picks the new owner: suggested units (the engine's candidates and the owners of the nearest
 * checkpoints, roads and grids, with distances: core/assignment/suggest-owners), or a search of
 * every unit by name, pinyin or initials. A click picks.
 */
function OwnerPicker({
  issue,
  units,
  geometry,
  busy,
  onPick,
}: {
  issue: IssueDetailResponse;
  units: readonly Unit[];
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  busy: boolean;
  onPick: (unitId: string) => void;
}) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const index = useNameIndex(units, (u) => u.name);
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const suggestions = useMemo(
    () =>
      suggestOwners(
        { grids: geometry.grids?.features as OwnedFeature[] | undefined, roads: geometry.roads?.features as OwnedFeature[] | undefined, checkpoints: geometry.checkpoints?.features as OwnedFeature[] | undefined },
        issue.lon,
        issue.lat,
        { candidates: issue.assignment.candidates, excludeUnitIds: issue.status === 'disputed' && issue.unitId ? [issue.unitId] : [] },
      ),
    [geometry.grids, geometry.roads, geometry.checkpoints, issue.lon, issue.lat, issue.assignment.candidates, issue.status, issue.unitId],
  );
  const hits = query.trim() && index ? index.search(query, 8) : [];
  return (
    <div className="owner-picker">
      <h4>{t('designate.suggested')}</h4>
      {suggestions.length === 0 ? (
        <p className="hint">{t('designate.noSuggestion')}</p>
      ) : (
        <ul className="suggestions" data-testid="owner-suggestions">
          {suggestions.map((s) => (
            <li key={s.unitId}>
              <button type="button" disabled={busy} data-unit-id={s.unitId} onClick={() => onPick(s.unitId)}>
                <strong>{unitName(s.unitId)}</strong>
                <small>
                  {t(`designate.reason.${s.reason}` as MessageKey, { name: s.featureName })} · {s.distanceM === 0 ? t('designate.here') : t('designate.distance', { metres: Math.round(s.distanceM) })}
                </small>
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('designate.search')}
        <input type="search" name="unitSearch" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      {query.trim() !== '' && index && (
        <ul className="unit-hits" data-testid="unit-hits">
          {hits.length === 0 && <li className="hint">{t('designate.searchNone')}</li>}
          {hits.map((u) => (
            <li key={u.id}>
              <button type="button" disabled={busy} data-unit-id={u.id} onClick={() => onPick(u.id)}>
                {u.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
