import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SummaryResponse } from '../../../core/api/api-schema';
import type { BBox } from '../../../core/geometry/geometry-schema';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../../../core/district/catalog';
import { summaryQueryOptions } from '../../api/summary';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { DEFAULT_VISIBILITY, type LayerVisibility } from '../../map/issue-points';
import { LazyScreenMap } from '../../map/lazy-screen-map';
import { legendHatches, MapLegend, provisionalCounts } from '../../map/map-legend';
import { geometryBBox } from '../../map/tour-camera';
import { useConnectionProblem } from '../shared/connection-banner';
import { ErrorBoundary } from '../shared/error-boundary';
import { useMapData, useOpenIssuePoints } from '../shared/use-map-data';
import { CheckpointBoard } from './checkpoint-board';
import { KpiCards } from './kpi-cards';
import { RedBlackPanel } from './red-black-panel';
import { ScreenChart } from './screen-chart';
import { ScreenClock } from './screen-clock';
import { readScreenOptions } from './screen-options';
import { clockTime } from './screen-time';
import { categoryOption, dailyTrendOption } from './trend-options';
import { useNewIssues } from './use-new-issues';
import { designScale, useDesignScale, useScreenScale } from './use-screen-scale';
import { useNewIssuePhotos } from './use-new-issue-photos';
import { CoveragePanel } from './coverage-panel';
import { coverageQueryOptions } from '../../api/patrol';
import { useTour } from './use-tour';
import './screen.css';

/** The screen shows grids (not communities) with roads, checkpoints and issue points. */
const SCREEN_LAYERS: LayerVisibility = { ...DEFAULT_VISIBILITY, communities: false };

interface TourStreet {
  id: string;
  name: string;
  bbox: BBox;
}

/**
 * `/screen`, the command-centre large screen: KPIs, the map coloured by open issues, the 红黑榜 of
 * units and streets, the checkpoint board and the trends, refreshed by itself (ETag polling) and
 * left untouched for hours. When the server cannot be reached it keeps the last data and says
 * since when; `?tour=1` pans through the streets, `?3d=1` stands the grids up by open issues.
 */
export function ScreenView({ config }: { config: ClientConfig }) {
  useScreenScale();
  const { t, label } = useI18n();
  const options = useMemo(() => readScreenOptions(globalThis.location?.search ?? ''), []);
  const data = useMapData(config.refreshMs);
  const summaryQuery = useQuery(summaryQueryOptions(config.refreshMs));
  const summary = summaryQuery.data;
  const stale = useConnectionProblem();
  const timeZone = data.district?.timeZone ?? 'Asia/Shanghai';
  const asOfMs = summaryQuery.dataUpdatedAt || null;
  const issues = useOpenIssuePoints(data.revision, true);
  const newIssues = useNewIssuePhotos(useNewIssues(issues));
  const coverage = useQuery(coverageQueryOptions(config.refreshMs)).data;

  const streetsGeometry = data.geometry.streets;
  const provisional = useMemo(() => provisionalCounts(data.geometry), [data.geometry]);
  // Once per geometry, not per render: the screen renders at every poll, the geometry rarely changes.
  const hatches = useMemo(() => legendHatches(data.geometry), [data.geometry]);
  const streets = useMemo<TourStreet[]>(
    () =>
      (streetsGeometry?.features ?? [])
        .map((f) => ({ id: f.id, name: String(f.properties.name ?? f.id), bbox: geometryBBox(f.geometry) }))
        .filter((s): s is TourStreet => s.bbox !== null)
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    [streetsGeometry],
  );
  const tourIndex = useTour(options.tour, streets.length, options.tourMs);
  const tourStreet = tourIndex >= 0 ? streets[tourIndex] : null;

  const daily = summary?.daily;
  const byCategory = summary?.byCategory;
  const dailyOption = useMemo(
    () => (daily?.length ? dailyTrendOption(daily, { new: t('screen.trend.new'), closed: t('screen.trend.closed') }) : null),
    [daily, t],
  );
  const categoryChart = useMemo(
    () =>
      byCategory?.length
        ? categoryOption(byCategory, (id, zh) => label(ISSUE_CATEGORY_INFO[id as IssueCategory], zh), { open: t('screen.open'), closed: t('screen.closed') })
        : null,
    [byCategory, label, t],
  );

  const scale = useDesignScale();
  // The legend sits at the map's bottom left: the district is fitted above it, so it covers no zone.
  const legendRef = useRef<HTMLDivElement>(null);
  const [legendHeight, setLegendHeight] = useState(0);
  useLayoutEffect(() => {
    const el = legendRef.current;
    if (!el) return;
    const measure = () => setLegendHeight(Math.ceil(el.offsetHeight / designScale()));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const padding = { top: 64, bottom: Math.max(40, legendHeight + 24), left: 40, right: tourStreet ? 320 : 40 };

  return (
    <div className="screen-view" data-theme="dark">
      <div className="screen-canvas">
        <header className="screen-header">
          <ScreenClock timeZone={timeZone} />
          <h1>
            {data.district && <span className="district-name">{data.district.name}</span>}
            {t('screen.title')}
          </h1>
          <div className={`screen-as-of${stale ? ' stale' : ''}`} data-testid="screen-as-of">
            <i className="live-dot" />
            {asOfMs ? t('screen.asOf', { time: clockTime(asOfMs, timeZone) }) : t('screen.loading')}
          </div>
        </header>

        <KpiCards summary={summary} />

        <div className="screen-body">
          <div className="screen-col screen-left">
            <RedBlackPanel title={t('screen.redBlack.units')} lists={summary?.rankings.units} rule={summary?.rankings.rule} testId="red-black-units" />
            <RedBlackPanel title={t('screen.redBlack.streets')} lists={summary?.rankings.streets} compact testId="red-black-streets" />
          </div>

          <div className="screen-col screen-centre">
            <section className="screen-panel screen-map-panel">
              <h2 className="panel-title map-title">{t('screen.map.title')}</h2>
              <div className="screen-map-frame">
                {data.district ? (
                  <ErrorBoundary>
                    <LazyScreenMap
                      bounds={data.district.bbox}
                      geometry={data.geometry}
                      counts={data.counts}
                      visible={SCREEN_LAYERS}
                      issues={issues}
                      newIssues={newIssues}
                      unvisitedCheckpointIds={coverage?.checkpoints.unvisitedIds}
                      extrude={options.extrude}
                      tourBBox={tourStreet?.bbox ?? null}
                      padding={padding}
                      scale={scale}
                      className="screen-map"
                    />
                  </ErrorBoundary>
                ) : (
                  <div className="map-loading">{t('screen.loading')}</div>
                )}
                <div className="screen-legend" ref={legendRef} data-testid="screen-legend">
                  <MapLegend layer="grids" {...hatches} />
                  <div className="checkpoint-legend">{t('screen.legend.checkpoints')}</div>
                  {provisional.communities + provisional.grids > 0 && (
                    <div className="provisional-count" data-testid="provisional-count">
                      {t('screen.provisional', { communities: provisional.communities, grids: provisional.grids })}
                    </div>
                  )}
                </div>
                {tourStreet && <TourCard street={tourStreet} index={tourIndex} count={streets.length} summary={summary} />}
              </div>
            </section>
            <div className="screen-charts">
              <section className="screen-panel">
                <h2 className="panel-title">{t('screen.trend.daily')}</h2>
                <ScreenChart option={dailyOption} testId="chart-daily" />
              </section>
              <section className="screen-panel">
                <h2 className="panel-title">{t('screen.trend.category')}</h2>
                <ScreenChart option={categoryChart} testId="chart-category" />
              </section>
            </div>
          </div>

          <div className="screen-col screen-right">
            <CoveragePanel coverage={coverage} />
            <CheckpointBoard checkpoints={summary?.checkpoints} />
          </div>
        </div>

        {stale && (
          <div className="screen-stale" role="alert" data-testid="stale-banner">
            <strong>{t('screen.stale', { time: asOfMs ? clockTime(asOfMs, timeZone, false) : '—' })}</strong>
            <span>{t('screen.staleDetail')}</span>
          </div>
        )}
      </div>
    </div>
  );
}

/** The figures of the street the tour is on. */
function TourCard({ street, index, count, summary }: { street: TourStreet; index: number; count: number; summary: SummaryResponse | undefined }) {
  const { t } = useI18n();
  const figures = summary?.byStreet.find((s) => s.id === street.id);
  return (
    <div className="tour-card" data-testid="tour-card" data-street={street.id}>
      <div className="tour-step">{t('screen.tour.label', { index: index + 1, count })}</div>
      <h3>{street.name}</h3>
      <dl>
        <div>
          <dt>{t('screen.tour.issues')}</dt>
          <dd>{figures?.total ?? 0}</dd>
        </div>
        <div>
          <dt>{t('screen.open')}</dt>
          <dd className="warn">{figures?.open ?? 0}</dd>
        </div>
        <div>
          <dt>{t('screen.overdue')}</dt>
          <dd className="alarm">{figures?.overdue ?? 0}</dd>
        </div>
        <div>
          <dt>{t('screen.rate')}</dt>
          <dd className="good">{figures ? `${(figures.rectificationRate * 100).toFixed(1)}%` : '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
