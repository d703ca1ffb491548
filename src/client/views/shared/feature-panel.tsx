import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { CountsResponse, LayerParam } from '../../../core/api/api-schema';
import { CHECKPOINT_CATEGORY_LABELS, ROAD_CLASS_LABELS, type CheckpointCategory, type RoadClass } from '../../../core/district/catalog';
import { unitsQueryOptions } from '../../api/units';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { LayerCollection } from '../../map/map-data';

interface PersonLike {
  name?: string;
  title?: string;
  phone?: string;
}

/** The ledger filter that shows the issues of one feature. */
const FILTER_KEY: Record<LayerParam, string> = {
  streets: 'streetId',
  communities: 'communityId',
  grids: 'gridId',
  roads: 'roadId',
  checkpoints: 'checkpointId',
  excluded: '',
  outline: '',
};

/** Who is responsible for a clicked feature, with its counts and a link to its issues. */
export function FeaturePanel({
  layer,
  id,
  geometry,
  counts,
  onClose,
}: {
  layer: LayerParam;
  id: string;
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  counts: Partial<Record<LayerParam, CountsResponse['counts']>>;
  onClose: () => void;
}) {
  const { t, label } = useI18n();
  const units = useQuery(unitsQueryOptions()).data;
  const feature = geometry[layer]?.features.find((f) => f.id === id);
  if (!feature) return null;
  const p = feature.properties;
  const unitName = (unitId: unknown) => (typeof unitId === 'string' ? (units?.find((u) => u.id === unitId)?.name ?? unitId) : t('lookup.none'));
  const c = counts[layer]?.[id];
  const person = (value: unknown) => {
    const person = value as PersonLike | null | undefined;
    if (!person?.name) return t('lookup.none');
    return [person.title, person.name, person.phone].filter(Boolean).join(' ');
  };
  return (
    <aside className="side-panel feature-panel" aria-label={String(p.name)}>
      <header>
        <span className="badge">{t(`layer.${layer}` as MessageKey)}</span>
        <h2>{String(p.name ?? id)}</h2>
        <button type="button" className="close" aria-label={t('panel.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <dl>
        {p.code !== undefined && (
          <>
            <dt>{t('panel.code')}</dt>
            <dd>{String(p.code)}</dd>
          </>
        )}
        {layer === 'roads' && (
          <>
            <dt>{t('panel.roadClass')}</dt>
            <dd>{label(ROAD_CLASS_LABELS[p.roadClass as RoadClass], String(p.roadClass))}</dd>
            <dt>{t('panel.roadChief')}</dt>
            <dd>{person(p.roadChief)}</dd>
          </>
        )}
        {layer === 'checkpoints' && (
          <>
            <dt>{t('panel.category')}</dt>
            <dd>{label(CHECKPOINT_CATEGORY_LABELS[p.category as CheckpointCategory], String(p.category))}</dd>
          </>
        )}
        <dt>{t('panel.owner')}</dt>
        <dd>{unitName(p.ownerUnitId)}</dd>
        {p.leader !== undefined && (
          <>
            <dt>{t('panel.leader')}</dt>
            <dd>{person(p.leader)}</dd>
          </>
        )}
        {layer === 'grids' && (
          <>
            <dt>{t('panel.gridLeader')}</dt>
            <dd>{person(p.gridLeader)}</dd>
          </>
        )}
        <dt>{t('panel.openIssues')}</dt>
        <dd data-testid="panel-open">{c?.open ?? 0}</dd>
        <dt>{t('panel.overdueIssues')}</dt>
        <dd className={c?.overdue ? 'overdue' : ''}>{c?.overdue ?? 0}</dd>
      </dl>
      <Link href={`/issues?${FILTER_KEY[layer]}=${encodeURIComponent(id)}`}>{t('panel.showIssues')}</Link>
    </aside>
  );
}
