import type { TopologyProblem } from '../../../core/topology/topology-problem';
import { formatArea } from '../../../core/topology/topology-problem';
import { useI18n, type MessageKey } from '../../i18n/i18n';

/** Problem codes the list names in words; others show their code. */
const KNOWN = new Set([
  'self_intersection',
  'overlap',
  'gap',
  'outside_parent',
  'too_small',
  'duplicate_code',
  'blank_name',
  'dangling_unit',
  'dangling_parent',
  'wrong_orientation',
  'too_few_points',
  'unclosed_ring',
]);

/**
 * The live validation list: every problem the core topology check finds in the session's edit,
 * errors first, each with the feature, the neighbour or parent and the area; a click shows it.
 */
export function ProblemList({
  problems,
  nameOf,
  onShow,
}: {
  problems: readonly TopologyProblem[];
  nameOf: (id: string) => string;
  onShow: (problem: TopologyProblem) => void;
}) {
  const { t } = useI18n();
  if (problems.length === 0) return <p className="plan-ok" data-testid="validation-ok">{t('plan.validation.ok')}</p>;
  return (
    <ul className="plan-problems" data-testid="validation-list">
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          <button type="button" onClick={() => onShow(p)} title={p.message}>
            <strong>{KNOWN.has(p.code) ? t(`plan.problem.${p.code}` as MessageKey) : p.code}</strong>{' '}
            <span>{nameOf(p.featureId)}</span>
            {p.otherId && <span> ↔ {nameOf(p.otherId)}</span>}
            {p.areaM2 !== undefined && <span className="area"> {formatArea(p.areaM2)}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
