import type { LookupResponse } from '../../../core/api/api-schema';
import { EXCLUDED_KIND_LABELS } from '../../../core/district/catalog';
import { useI18n, type MessageKey } from '../../i18n/i18n';

interface PersonLike {
  name?: string;
  title?: string;
  phone?: string;
}

function PersonLine({ person }: { person: PersonLike | null | undefined }) {
  const { t } = useI18n();
  if (!person?.name) return <>{t('lookup.none')}</>;
  return (
    <>
      {person.title ? `${person.title} ` : ''}
      {person.name}
      {person.phone && (
        <>
          {' '}
          <a href={`tel:${person.phone.replace(/[\s-]/g, '')}`}>{person.phone}</a>
        </>
      )}
    </>
  );
}

/**
 * Where the point lies when it is not in a zone: outside the district ("不在本区范围内": no owner
 * pretended; a report still goes to the campaign office), in an excluded area (named, with its
 * kind, managing unit and why it is no street's), or inside the outline but in no street.
 */
function PlaceNotice({ answer }: { answer: LookupResponse }) {
  const { t, lang } = useI18n();
  if (answer.place === 'outside') {
    // Said once: the engine's reason (outside which district) and the offer to report it to the
    // campaign office; the card's "why" line would only repeat it, so it is not shown then.
    const [head, ...rest] = (lang === 'en' ? answer.why.en : answer.why.zh).split(/(?<=[：:])/);
    return (
      <p className="warning place-notice" role="status" data-testid="answer-place">
        <span className="rule rule-office">{t('rule.office')}</span> <strong>{head}</strong>
        {rest.join('')}
      </p>
    );
  }
  if (answer.place === 'uncovered') {
    return (
      <p className="warning place-notice" role="status" data-testid="answer-place">
        <strong>{t('lookup.place.uncovered')}</strong> {t('lookup.place.uncoveredHint')}
      </p>
    );
  }
  const area = answer.excluded;
  if (answer.place !== 'excluded' || !area) return null;
  return (
    <div className="warning place-notice" role="status" data-testid="answer-place">
      <strong>{t('lookup.place.excluded', { name: area.name })}</strong>
      <span className="muted"> · {EXCLUDED_KIND_LABELS[area.kind][lang === 'en' ? 'en' : 'zh']}</span>
      <div>
        {t('lookup.place.managingUnit')}
        {area.managingUnit ? area.managingUnit.name : t('lookup.place.noManager')}
      </div>
      {area.reason && <div>{t('lookup.place.reason', { reason: area.reason })}</div>}
    </div>
  );
}

/**
 * The answer of a lookup: the zone chain with the people to call, the road and its chief, the
 * checkpoint, the responsible unit, the rule that decided and why, and the other candidates.
 */
export function AnswerCard({ answer }: { answer: LookupResponse }) {
  const { t, lang } = useI18n();
  const a = answer.assignment;
  // "Other candidates" are the ones that lost: the winner is the card itself.
  const winner = a.rule === 'checkpoint' ? a.checkpointId : a.rule === 'road' ? a.roadId : a.rule === 'grid' ? a.gridId : null;
  const others = answer.candidates.filter((c) => !(c.rule === a.rule && c.featureId === winner));
  const metres = (m: number | null) => (m === null ? '' : t('lookup.distance', { metres: Math.round(m) }));
  return (
    <section className="answer-card" aria-label={t('lookup.answer')} data-testid="answer-card">
      <div className="answer-unit">
        <span className="label">{t('lookup.unit')}</span>
        <strong data-testid="answer-unit">{answer.unit?.name ?? t(answer.place === 'outside' ? 'lookup.place.outsideOwner' : 'rule.office')}</strong>
        {answer.unit?.contact && (
          <span className="contact">
            <PersonLine person={answer.unit.contact} />
          </span>
        )}
      </div>
      {answer.place !== 'outside' && (
        <p className="answer-why">
          <span className={`rule rule-${a.rule}`}>{t(`rule.${a.rule}` as MessageKey)}</span> {lang === 'en' ? answer.why.en : answer.why.zh}
        </p>
      )}
      <PlaceNotice answer={answer} />
      {a.rule === 'office' && !answer.grid && answer.place === 'zone' && <p className="warning">{t('lookup.outside')}</p>}
      {answer.place === 'outside' ? null : (
        <dl>
          <dt>{t('lookup.street')}</dt>
          <dd>{answer.street?.name ?? t('lookup.none')}</dd>
          <dt>{t('lookup.community')}</dt>
          <dd>{answer.community?.name ?? t('lookup.none')}</dd>
          <dt>{t('lookup.grid')}</dt>
          <dd>
            {answer.grid ? `${answer.grid.name}（${answer.grid.code ?? answer.grid.id}）` : t('lookup.none')}
          </dd>
          <dt>{t('lookup.gridLeader')}</dt>
          <dd>
            <PersonLine person={answer.grid?.gridLeader} />
          </dd>
          <dt>{t('lookup.road')}</dt>
          <dd>{answer.road ? (answer.road.from && answer.road.to ? `${answer.road.name}（${answer.road.from}至${answer.road.to}）` : answer.road.name) : t('lookup.none')}</dd>
          <dt>{t('lookup.roadChief')}</dt>
          <dd>
            <PersonLine person={answer.road?.roadChief as PersonLike | null | undefined} />
          </dd>
          <dt>{t('lookup.checkpoint')}</dt>
          <dd>{answer.checkpoint ? `${answer.checkpoint.name}（${answer.checkpoint.code}）` : t('lookup.none')}</dd>
        </dl>
      )}
      <details className="candidates">
        <summary>
          {t('lookup.candidates')} ({others.length})
        </summary>
        {others.length === 0 ? (
          <p>{t('lookup.noCandidates')}</p>
        ) : (
          <ul>
            {others.map((c) => (
              <li key={`${c.rule}-${c.featureId}`}>
                <span className={`rule rule-${c.rule}`}>{t(`rule.${c.rule}` as MessageKey)}</span> {c.name ?? c.featureId} · {c.unitName ?? t('lookup.none')} ·{' '}
                {metres(c.distanceM)}
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}
