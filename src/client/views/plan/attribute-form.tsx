import { useEffect, useState, type FormEvent } from 'react';
import { ROAD_CHIEF_LEVELS, ROAD_CLASS_LABELS, ROAD_CLASSES } from '../../../core/district/catalog';
import type { Unit } from '../../../core/district/district-schema';
import type { EditableFeature } from '../../../core/edit/edit-types';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { EditLayer } from '../../../core/edit/edit-layer';

interface PersonFields {
  name: string;
  title: string;
  phone: string;
}
const personOf = (value: unknown): PersonFields => {
  const p = (value ?? {}) as Partial<PersonFields>;
  return { name: p.name ?? '', title: p.title ?? '', phone: p.phone ?? '' };
};
/** A person object as the schema wants it: blank fields left out, null when nameless. */
const personValue = (p: PersonFields, extra: Record<string, unknown> = {}) =>
  p.name.trim() ? { name: p.name.trim(), ...(p.title.trim() ? { title: p.title.trim() } : {}), ...(p.phone.trim() ? { phone: p.phone.trim() } : {}), ...extra } : null;

const PHONE = /^\+?[0-9][0-9 -]{2,19}$/;

/**
 * The attribute panel: name, code, owner unit and the leader (grid leader for grids) of a zone;
 * name, class, road chief, owner unit and segment from/to of a road. "Apply" turns the form into
 * one undoable edit of the session; nothing is saved until Save.
 */
export function AttributeForm({
  layer,
  feature,
  units,
  disabled,
  onApply,
}: {
  layer: EditLayer;
  feature: EditableFeature;
  units: readonly Unit[];
  disabled: boolean;
  onApply: (properties: Record<string, unknown>) => void;
}) {
  const { t, label } = useI18n();
  const p = feature.properties;
  const leaderKey = layer === 'grids' ? 'gridLeader' : layer === 'roads' ? 'roadChief' : 'leader';
  const initial = () => ({
    name: String(p.name ?? ''),
    code: String(p.code ?? ''),
    ownerUnitId: (p.ownerUnitId as string | null) ?? '',
    person: personOf(p[leaderKey]),
    roadClass: String(p.roadClass ?? 'secondary'),
    level: String((p.roadChief as { level?: string } | undefined)?.level ?? 'street'),
    from: String(p.from ?? ''),
    to: String(p.to ?? ''),
    provisional: p.provisional === true,
  });
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  // Another feature, or the same one changed by undo: the form follows.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setForm(initial()), [feature]);
  const set = (patch: Partial<ReturnType<typeof initial>>) => setForm((f) => ({ ...f, ...patch }));
  const setPerson = (patch: Partial<PersonFields>) => setForm((f) => ({ ...f, person: { ...f.person, ...patch } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.name.trim()) return setError(t('plan.attr.nameRequired'));
    if (layer !== 'roads' && !form.code.trim()) return setError(t('plan.attr.codeRequired'));
    if (form.person.phone.trim() && !PHONE.test(form.person.phone.trim())) return setError(t('plan.attr.phoneInvalid'));
    if (layer === 'roads' && !form.person.name.trim()) return setError(t('plan.attr.chiefRequired'));
    setError(null);
    const next: Record<string, unknown> = { ...p, name: form.name.trim(), ownerUnitId: form.ownerUnitId || null };
    if (layer === 'roads') {
      if (form.code.trim()) next.code = form.code.trim();
      next.roadClass = form.roadClass;
      next.roadChief = personValue(form.person, { level: form.level });
      if (form.from.trim()) next.from = form.from.trim();
      else delete next.from;
      if (form.to.trim()) next.to = form.to.trim();
      else delete next.to;
    } else {
      next.code = form.code.trim();
      next[leaderKey] = personValue(form.person);
      // Absent, not false, once the real boundary is drawn (files keep their bytes).
      if (!form.provisional) delete next.provisional;
    }
    onApply(next);
  };

  return (
    <form className="plan-attributes" onSubmit={submit} aria-label={t('plan.attr.title')}>
      <label>
        {t('plan.attr.name')}
        <input name="name" value={form.name} onChange={(e) => set({ name: e.target.value })} disabled={disabled} />
      </label>
      <label>
        {t('plan.attr.code')}
        <input name="code" value={form.code} onChange={(e) => set({ code: e.target.value })} disabled={disabled} />
      </label>
      <label>
        {t('plan.attr.owner')}
        <select name="ownerUnitId" value={form.ownerUnitId} onChange={(e) => set({ ownerUnitId: e.target.value })} disabled={disabled}>
          <option value="">{t('plan.attr.noOwner')}</option>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      {p.provisional === true && (
        <label className="checkbox">
          <input type="checkbox" name="provisional" checked={form.provisional} onChange={(e) => set({ provisional: e.target.checked })} disabled={disabled} />{' '}
          {t('plan.attr.provisional')}
        </label>
      )}
      {layer === 'roads' && (
        <>
          <label>
            {t('plan.attr.roadClass')}
            <select name="roadClass" value={form.roadClass} onChange={(e) => set({ roadClass: e.target.value })} disabled={disabled}>
              {ROAD_CLASSES.map((c) => (
                <option key={c} value={c}>
                  {label(ROAD_CLASS_LABELS[c], c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('plan.attr.from')}
            <input name="from" value={form.from} onChange={(e) => set({ from: e.target.value })} disabled={disabled} />
          </label>
          <label>
            {t('plan.attr.to')}
            <input name="to" value={form.to} onChange={(e) => set({ to: e.target.value })} disabled={disabled} />
          </label>
        </>
      )}
      <fieldset>
        <legend>{t(layer === 'grids' ? 'plan.attr.gridLeader' : layer === 'roads' ? 'plan.attr.roadChief' : 'plan.attr.leader')}</legend>
        <label>
          {t('plan.attr.personName')}
          <input name="personName" value={form.person.name} onChange={(e) => setPerson({ name: e.target.value })} disabled={disabled} />
        </label>
        <label>
          {t('plan.attr.personTitle')}
          <input name="personTitle" value={form.person.title} onChange={(e) => setPerson({ title: e.target.value })} disabled={disabled} />
        </label>
        <label>
          {t('plan.attr.phone')}
          <input name="phone" value={form.person.phone} onChange={(e) => setPerson({ phone: e.target.value })} disabled={disabled} inputMode="tel" />
        </label>
        {layer === 'roads' && (
          <label>
            {t('plan.attr.level')}
            <select name="level" value={form.level} onChange={(e) => set({ level: e.target.value })} disabled={disabled}>
              {ROAD_CHIEF_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`plan.level.${l}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={disabled}>
        {t('plan.attr.apply')}
      </button>
    </form>
  );
}
