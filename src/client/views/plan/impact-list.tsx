import type { ZonePreviewResponse } from '../../../core/api/api-schema';
import type { ImpactResult } from '../../../core/edit/edit-impact';
import { useI18n } from '../../i18n/i18n';

type IssueMove = Pick<ImpactResult['issues'][number], 'id' | 'code' | 'before' | 'after'> & { lon?: number; lat?: number };

/**
 * Issues and checkpoints an edit would move, before → after (grid and unit), from the Worker's
 * preview or the server's. Clicking an issue shows it on the map.
 */
export function ImpactList({
  issues,
  checkpoints,
  nameOf,
  unitName,
  onShow,
  testId,
}: {
  issues: readonly IssueMove[];
  checkpoints: ImpactResult['checkpoints'] | ZonePreviewResponse['checkpoints'];
  nameOf: (id: string | null) => string;
  unitName: (id: string | null) => string;
  onShow?: (issue: IssueMove) => void;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <div className="plan-impact" data-testid={testId}>
      <p className="plan-impact-summary">{t('plan.impact.summary', { issues: issues.length, checkpoints: checkpoints.length })}</p>
      {issues.length > 0 && (
        <ul>
          {issues.slice(0, 200).map((i) => (
            <li key={i.id} data-testid="impact-issue">
              <button type="button" onClick={() => onShow?.(i)} disabled={!onShow}>
                <strong>{i.code}</strong> {nameOf(i.before.gridId)} → {nameOf(i.after.gridId)}
                {i.before.unitId !== i.after.unitId && (
                  <span className="unit-change">
                    {' '}
                    ({unitName(i.before.unitId)} → {unitName(i.after.unitId)})
                  </span>
                )}
              </button>
            </li>
          ))}
          {issues.length > 200 && <li>{t('plan.impact.more', { count: issues.length - 200 })}</li>}
        </ul>
      )}
      {checkpoints.length > 0 && (
        <ul className="plan-impact-checkpoints">
          {checkpoints.map((c) => (
            <li key={c.id}>
              {t('plan.impact.checkpoint')} {c.name}: {nameOf(c.before.gridId)} → {nameOf(c.after.gridId)}
              {c.before.unitId !== c.after.unitId && ` (${unitName(c.before.unitId)} → ${unitName(c.after.unitId)})`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
