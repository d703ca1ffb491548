import { memo } from 'react';
import type { CoverageResponse } from '../../../core/patrol/patrol-schema';
import { useI18n } from '../../i18n/i18n';

/** a ÷ b, 0 when b is 0 (module-level: the panel renders at every poll). */
const share = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * Today's patrol coverage on the large screen: checkpoints visited today (of all), per category
 * as small bars, and this week's road-chief walks (the least covered chiefs first). Polled with
 * the other panels (ETag); the map draws the unvisited checkpoints as grey rings.
 * Memoised: the screen renders at every poll (fetch states); this re-renders only when its data changes.
 */
export const CoveragePanel = memo(function CoveragePanel({ coverage }: { coverage: CoverageResponse | undefined }) {
  const { t } = useI18n();
  return (
    <section className="screen-panel coverage-panel" data-testid="coverage-panel">
      <h2 className="panel-title">
        {t('screen.coverage.title')}
        <small data-testid="coverage-total">{coverage ? `${coverage.checkpoints.visited}/${coverage.checkpoints.total}` : ''}</small>
      </h2>
      {!coverage ? (
        <div className="panel-empty">{t('screen.loading')}</div>
      ) : (
        <div className="coverage-body">
          <div className="coverage-bar" aria-hidden>
            <i style={{ width: `${share(coverage.checkpoints.visited, coverage.checkpoints.total) * 100}%` }} />
          </div>
          <ul className="coverage-categories">
            {coverage.checkpoints.byCategory.map((c) => (
              <li key={c.category} data-category={c.category} data-visited={c.visited}>
                <span className="coverage-name">{c.name}</span>
                <span className="coverage-mini" aria-hidden>
                  <i style={{ width: `${share(c.visited, c.checkpoints) * 100}%` }} />
                </span>
                <b>
                  {c.visited}/{c.checkpoints}
                </b>
              </li>
            ))}
          </ul>
          <div className="coverage-chiefs" data-testid="coverage-chiefs">
            <span>{t('screen.coverage.chiefs')}</span>
            <b>{t('screen.coverage.chiefRoads', { walked: coverage.roadChiefs.walked, roads: coverage.roadChiefs.roads })}</b>
          </div>
          <div className="coverage-legend">{t('screen.coverage.legend')}</div>
        </div>
      )}
    </section>
  );
});
