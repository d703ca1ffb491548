import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { CHECKPOINT_CATEGORY_LABELS, type CheckpointCategory } from '../../../core/district/catalog';
import type { ApiWalk, PatrolTasksResponse } from '../../../core/patrol/patrol-schema';
import { ApiRequestError } from '../../api/http';
import { checkIn, finishWalk, patrolTasksQueryOptions, startWalk } from '../../api/patrol';
import { useI18n } from '../../i18n/i18n';
import { PhotoPicker } from '../shared/photo-picker';
import { SignInDialog, useSessionUser } from '../shared/session';
import { usePhotoUploads } from '../shared/use-photo-uploads';
import { currentFix, usePosition, type Fix } from './use-position';
import { useWalkSampler } from './use-walk-sampler';
import './patrol.css';

const PATROL_ROLES = ['inspector', 'unit', 'office', 'admin'];
const percent = (share: number) => Math.round(share * 100);
const errorText = (error: unknown) => (error instanceof ApiRequestError || error instanceof Error ? error.message : String(error));

/** A refused check-in in the reader's language, from the refusal's figures (the server's message is Chinese then English). */
function checkinErrorText(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (!(error instanceof ApiRequestError) || error.code !== 'too_far' || !error.details || typeof error.details !== 'object') return errorText(error);
  const d = error.details as { reason?: string; distanceM?: number; limitM?: number; accuracyM?: number };
  const metres = Math.round(d.distanceM ?? 0);
  if (d.reason === 'inaccurate') return t('patrol.inaccurate', { accuracy: Math.round(d.accuracyM ?? 0), limit: d.limitM ?? 0 });
  return d.limitM ? t('patrol.tooFar', { metres, limit: d.limitM }) : t('patrol.outside', { metres });
}

/**
 * `/patrol`, the phone page of daily patrols (巡查打卡): the checkpoints and roads the signed-in
 * user patrols, nearest first, with today's state; check in at a checkpoint with the phone's GPS
 * (refused with the distance when too far), an optional photo and note, or report a problem
 * there; walk a road while the page samples the position (shown all the time) and see whether
 * the walk counted. `?sampleSeconds=` overrides the server's sampling interval (demos, tests).
 */
export function PatrolView() {
  const { t } = useI18n();
  const user = useSessionUser();
  const [signingIn, setSigningIn] = useState(false);
  if (user === undefined) return <p className="patrol-view">{t('status.loading')}</p>;
  if (!user || !PATROL_ROLES.includes(user.role)) {
    return (
      <div className="patrol-view">
        <p>{user ? t('patrol.noRole') : t('patrol.signIn')}</p>
        {!user && (
          <button type="button" className="primary" onClick={() => setSigningIn(true)}>
            {t('session.signIn')}
          </button>
        )}
        {signingIn && <SignInDialog onClose={() => setSigningIn(false)} />}
      </div>
    );
  }
  return <PatrolPage />;
}

function PatrolPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const position = usePosition();
  const tasks = useQuery(patrolTasksQueryOptions(position.fix));
  const [tab, setTab] = useState<'checkpoints' | 'roads'>('checkpoints');
  const [walk, setWalk] = useState<ApiWalk | null>(null);
  const data = tasks.data;
  const openWalk = walk ?? data?.openWalk ?? null;
  const refresh = () => void client.invalidateQueries({ queryKey: ['patrol'] });
  const sampleSeconds = useMemo(() => {
    const fromUrl = Number(new URLSearchParams(globalThis.location?.search ?? '').get('sampleSeconds'));
    return fromUrl > 0 ? fromUrl : (data?.rules.sampleSeconds ?? 10);
  }, [data?.rules.sampleSeconds]);

  return (
    <div className="patrol-view">
      <header className="patrol-head">
        <h1>{t('patrol.title')}</h1>
        <p className="patrol-position" data-testid="patrol-position">
          {position.fix
            ? t('patrol.position', { lon: position.fix.lon.toFixed(5), lat: position.fix.lat.toFixed(5), accuracy: Math.round(position.fix.accuracyM) })
            : position.error
              ? t('patrol.gpsFailed', { message: position.error })
              : t('patrol.noPosition')}{' '}
          <button type="button" className="link" onClick={() => void position.locate()} disabled={position.locating}>
            {position.locating ? t('patrol.locating') : t('patrol.locate')}
          </button>
        </p>
        {data && (
          <p className="hint">
            {data.scope.kind === 'all' ? t('patrol.scopeAll') : t('patrol.scopeUnit')} ·{' '}
            {t('patrol.rules', {
              radius: data.rules.checkinRadiusM,
              accuracy: data.rules.maxAccuracyM,
              coverage: percent(data.rules.walkMinCoverage),
              buffer: data.rules.walkBufferM,
            })}
          </p>
        )}
      </header>
      {openWalk && <WalkBanner walk={openWalk} seconds={sampleSeconds} minCoverage={data?.rules.walkMinCoverage ?? 0.6} onChange={setWalk} onDone={refresh} />}
      {tasks.error && (
        <p className="field-error" role="alert">
          {errorText(tasks.error)}
        </p>
      )}
      {data && (
        <>
          <div className="patrol-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'checkpoints'} onClick={() => setTab('checkpoints')}>
              {t('patrol.tab.checkpoints', { visited: data.checkpoints.filter((c) => c.visitedToday).length, total: data.checkpoints.length })}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'roads'} onClick={() => setTab('roads')}>
              {t('patrol.tab.roads', { walked: data.roads.filter((r) => r.walkedThisWeek).length, total: data.roads.length })}
            </button>
          </div>
          {tab === 'checkpoints' ? (
            <CheckpointList tasks={data} fix={position.fix} onCheckedIn={refresh} />
          ) : (
            <RoadList tasks={data} walking={openWalk?.status === 'open' ? openWalk : null} onStart={setWalk} />
          )}
        </>
      )}
    </div>
  );
}

function CheckpointList({ tasks, fix, onCheckedIn }: { tasks: PatrolTasksResponse; fix: Fix | null; onCheckedIn: () => void }) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  if (tasks.checkpoints.length === 0) return <p className="hint">{t('patrol.empty')}</p>;
  const time = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tasks.timeZone });
  return (
    <ul className="patrol-list" data-testid="patrol-checkpoints">
      {tasks.checkpoints.map((c) => (
        <li key={c.id} data-id={c.id} className={c.visitedToday ? 'visited' : 'unvisited'}>
          <div className="patrol-item-head">
            <strong>{c.name}</strong>
            {c.distanceM !== null && <span className="patrol-distance">{t('patrol.distance', { metres: Math.round(c.distanceM) })}</span>}
          </div>
          <div className="patrol-item-meta">
            <span>{label(CHECKPOINT_CATEGORY_LABELS[c.category as CheckpointCategory], c.category)}</span> ·{' '}
            <span className={`badge ${c.visitedToday ? 'good' : 'warn'}`}>{c.visitedToday ? t('patrol.visitedToday') : t('patrol.notVisited')}</span>
            {c.myCheckinToday && <span> · {t('patrol.mineToday', { time: time(c.myCheckinToday) })}</span>}
          </div>
          {open === c.id ? (
            <CheckinForm checkpointId={c.id} point={c.point} fix={fix} onDone={onCheckedIn} onClose={() => setOpen(null)} />
          ) : (
            <button type="button" className="primary" onClick={() => setOpen(c.id)}>
              {t('patrol.checkIn')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

function CheckinForm({ checkpointId, point, fix, onDone, onClose }: { checkpointId: string; point: [number, number]; fix: Fix | null; onDone: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const photos = usePhotoUploads(1);
  const mutation = useMutation({
    mutationFn: async () => {
      // A fresh fix for the check-in itself: the list's position may be minutes old.
      const now = await currentFix().catch(() => fix);
      if (!now) throw new Error(t('patrol.noPosition'));
      return checkIn({ checkpointId, lon: now.lon, lat: now.lat, accuracyM: now.accuracyM, note, photo: photos.attachments[0] ?? null });
    },
    onSuccess: onDone,
  });
  const at = fix ?? { lon: point[0], lat: point[1] };
  return (
    <form
      className="checkin-form"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <label>
        {t('patrol.note')}
        <input name="note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </label>
      <PhotoPicker uploads={photos} max={1} label={t('patrol.photo')} />
      {mutation.isSuccess && (
        <p className="ok" role="status" data-testid="checkin-result">
          {t('patrol.checkedIn', { metres: Math.round(mutation.data.distanceM) })}
        </p>
      )}
      {mutation.error && (
        <p className="field-error" role="alert" data-testid="checkin-result">
          {checkinErrorText(mutation.error, t)}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          {t('photos.close')}
        </button>
        <Link className="button" href={`/lookup?lon=${at.lon.toFixed(6)}&lat=${at.lat.toFixed(6)}&crs=wgs84&report=1`}>
          {t('patrol.report')}
        </Link>
        <button type="submit" className="primary" disabled={mutation.isPending || photos.busy}>
          {mutation.isPending ? t('patrol.checkingIn') : t('patrol.checkIn')}
        </button>
      </div>
    </form>
  );
}

function RoadList({ tasks, walking, onStart }: { tasks: PatrolTasksResponse; walking: ApiWalk | null; onStart: (walk: ApiWalk) => void }) {
  const { t } = useI18n();
  const start = useMutation({ mutationFn: startWalk, onSuccess: onStart });
  if (tasks.roads.length === 0) return <p className="hint">{t('patrol.emptyRoads')}</p>;
  return (
    <ul className="patrol-list" data-testid="patrol-roads">
      {start.error && (
        <li className="field-error" role="alert">
          {errorText(start.error)}
        </li>
      )}
      {tasks.roads.map((r) => (
        <li key={r.id} data-id={r.id} className={r.walkedThisWeek ? 'visited' : 'unvisited'}>
          <div className="patrol-item-head">
            <strong>{r.name}</strong>
            {r.distanceM !== null && <span className="patrol-distance">{t('patrol.distance', { metres: Math.round(r.distanceM) })}</span>}
          </div>
          <div className="patrol-item-meta">
            {t('patrol.roadInfo', { length: Math.round(r.lengthM), chief: r.chief || '—' })} ·{' '}
            <span className={`badge ${r.walkedThisWeek ? 'good' : 'warn'}`}>{r.walkedThisWeek ? t('patrol.walkedWeek') : t('patrol.notWalkedWeek')}</span>
            {r.lastWalk && <span> · {t('patrol.lastWalk', { percent: percent(r.lastWalk.coverage) })}</span>}
          </div>
          <button type="button" className="primary" disabled={!!walking || start.isPending} onClick={() => start.mutate(r.id)}>
            {t('patrol.startWalk')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The walk in progress, always in view: what is sampled, how often, the coverage so far; then the outcome. */
function WalkBanner({ walk, seconds, minCoverage, onChange, onDone }: { walk: ApiWalk; seconds: number; minCoverage: number; onChange: (walk: ApiWalk) => void; onDone: () => void }) {
  const { t } = useI18n();
  const sampler = useWalkSampler(walk, seconds, onChange);
  const finish = useMutation({
    mutationFn: () => finishWalk(walk.id),
    onSuccess: (done) => {
      onChange(done);
      onDone();
    },
  });
  if (walk.status !== 'open') {
    const counted = walk.status === 'counted';
    return (
      <div className={`walk-banner ${counted ? 'good' : 'warn'}`} role="status" data-testid="walk-result" data-status={walk.status}>
        {counted ? t('patrol.walkCounted', { percent: percent(walk.coverage) }) : t('patrol.walkNotCounted', { percent: percent(walk.coverage), needed: percent(minCoverage) })}
        {walk.jumps > 0 && <span> · {t('patrol.walkJumps', { jumps: walk.jumps })}</span>}
      </div>
    );
  }
  return (
    <div className="walk-banner live" role="status" data-testid="walk-banner" data-samples={walk.samples} data-coverage={walk.coverage}>
      <i className="rec-dot" aria-hidden />
      <div>
        <strong>{t('patrol.walking', { road: walk.roadName })}</strong>
        <small>
          {sampler.paused ? t('patrol.walkPaused') : t('patrol.walkingDetail', { seconds, samples: walk.samples, percent: percent(walk.coverage) })}
          {walk.jumps > 0 && ` · ${t('patrol.walkJumps', { jumps: walk.jumps })}`}
        </small>
      </div>
      <button type="button" onClick={() => finish.mutate()} disabled={finish.isPending}>
        {t('patrol.finishWalk')}
      </button>
      {finish.error && <p className="field-error">{errorText(finish.error)}</p>}
    </div>
  );
}
