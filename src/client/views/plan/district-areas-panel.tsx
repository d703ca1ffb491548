import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { EXCLUDED_KIND_LABELS, EXCLUDED_KINDS, type ExcludedKind } from '../../../core/district/catalog';
import type { Unit } from '../../../core/district/district-schema';
import type { AreaLike } from '../../../core/geometry/geometry-parts';
import { interiorPoint } from '../../../core/geometry/interior-point';
import { ApiRequestError } from '../../api/http';
import { saveZoneEdit } from '../../api/zone-edits';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { MapFocus } from '../../map/lazy-district-map';
import type { LayerCollection, LayerFeature } from '../../map/map-data';
import type { MapData } from '../shared/use-map-data';

const ZONE_LAYERS = ['streets', 'communities', 'grids'] as const;

interface ExcludedDraft {
  name: string;
  kind: ExcludedKind;
  managingUnitId: string;
  reason: string;
}

const draftOf = (f: LayerFeature): ExcludedDraft => ({
  name: String(f.properties.name ?? ''),
  kind: (EXCLUDED_KINDS as readonly string[]).includes(String(f.properties.kind)) ? (f.properties.kind as ExcludedKind) : 'other',
  managingUnitId: typeof f.properties.managingUnitId === 'string' ? f.properties.managingUnitId : '',
  reason: typeof f.properties.reason === 'string' ? f.properties.reason : '',
});

/**
 * The /plan listing of what an import left to finish: provisional zones (待细化, made from their
 * parent; drawn properly with the editor's split and draw tools) and the excluded areas (rivers,
 * enclaves, land others manage), whose name, kind, managing unit and reason a planner sets here
 * (the import names candidates "待核实"). An excluded area is saved on its own, with its version
 * (412 when someone saved it first) and the server's check of the excluded areas; or removed, and
 * then its ground counts as uncovered until a street takes it.
 */
export function DistrictAreasPanel({
  data,
  units,
  canEdit,
  onFocus,
}: {
  data: MapData;
  units: readonly Unit[];
  canEdit: boolean;
  onFocus: (focus: MapFocus) => void;
}) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<ExcludedDraft | null>(null);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);

  const provisional = useMemo(
    () => ZONE_LAYERS.flatMap((layer) => (data.geometry[layer]?.features ?? []).filter((f) => f.properties.provisional === true).map((f) => ({ layer, feature: f }))),
    [data.geometry],
  );
  const excluded: LayerCollection['features'] = data.geometry.excluded?.features ?? [];
  const unitName = (id: unknown) => (typeof id === 'string' ? (units.find((u) => u.id === id)?.name ?? id) : null);

  const show = (f: LayerFeature) => {
    const at = interiorPoint(f.geometry as AreaLike);
    if (at) onFocus({ lon: at[0], lat: at[1], zoom: 15 });
  };

  const save = useMutation({
    mutationFn: ({ feature, remove }: { feature: LayerFeature; remove: boolean }) => {
      const version = typeof feature.properties.version === 'number' ? feature.properties.version : 1;
      const { version: _version, ...properties } = feature.properties;
      if (!remove && draft) {
        Object.assign(properties, { name: draft.name.trim(), kind: draft.kind, managingUnitId: draft.managingUnitId || null });
        if (draft.reason.trim()) properties.reason = draft.reason.trim();
        else delete properties.reason;
      }
      return saveZoneEdit({
        changes: [
          {
            layer: 'excluded',
            upsert: remove ? [] : [{ type: 'Feature', id: feature.id, geometry: feature.geometry as never, properties }],
            remove: remove ? [feature.id] : [],
            expectedVersions: { [feature.id]: version },
          },
        ],
        note: remove ? t('plan.areas.noteRemoved', { name: String(feature.properties.name) }) : t('plan.areas.noteEdited', { name: draft?.name.trim() ?? '' }),
      });
    },
    onSuccess: async (result, { remove }) => {
      setEditing(null);
      setDraft(null);
      await Promise.all([
        client.invalidateQueries({ queryKey: ['layer', 'excluded'] }),
        client.invalidateQueries({ queryKey: ['counts'] }),
        client.invalidateQueries({ queryKey: ['issues'] }),
        client.invalidateQueries({ queryKey: ['summary'] }),
        client.invalidateQueries({ queryKey: ['zone-history'] }),
      ]);
      setMessage({ kind: 'info', text: t(remove ? 'plan.areas.removed' : 'plan.areas.saved', { issues: result.reassigned.length }) });
    },
    onError: async (error) => {
      const conflict = error instanceof ApiRequestError && error.status === 412;
      setMessage({ kind: 'error', text: conflict ? t('plan.areas.conflict') : error.message });
      if (conflict) {
        setEditing(null);
        setDraft(null);
        await client.invalidateQueries({ queryKey: ['layer', 'excluded'] });
      }
    },
  });

  if (provisional.length === 0 && excluded.length === 0) return null;

  const submit = (event: FormEvent, feature: LayerFeature) => {
    event.preventDefault();
    if (!draft?.name.trim()) {
      setMessage({ kind: 'error', text: t('plan.attr.nameRequired') });
      return;
    }
    save.mutate({ feature, remove: false });
  };
  const remove = (feature: LayerFeature) => {
    if (!window.confirm(t('plan.areas.confirmRemove', { name: String(feature.properties.name) }))) return;
    save.mutate({ feature, remove: true });
  };

  return (
    <section className="plan-section plan-areas" aria-label={t('plan.areas.title')} data-testid="plan-areas">
      <h3>{t('plan.areas.title')}</h3>
      {message && (
        <p className={message.kind === 'error' ? 'field-error' : 'plan-notice'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="plan-areas-message">
          {message.text}
        </p>
      )}
      {provisional.length > 0 && (
        <details open>
          <summary>{t('plan.areas.provisional', { count: provisional.length })}</summary>
          <p className="muted">{t('plan.areas.provisionalHint')}</p>
          <ul className="plan-area-list" data-testid="provisional-list">
            {provisional.map(({ layer, feature }) => (
              <li key={feature.id}>
                <button type="button" className="link" onClick={() => show(feature)}>
                  {String(feature.properties.name ?? feature.id)}
                </button>{' '}
                <span className="muted">{t(`layer.${layer}` as MessageKey)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {excluded.length > 0 && (
        <details open>
          <summary>{t('plan.areas.excluded', { count: excluded.length })}</summary>
          <ul className="plan-area-list" data-testid="excluded-list">
            {excluded.map((feature) => (
              <li key={feature.id} data-testid={`excluded-${feature.id}`}>
                <button type="button" className="link" onClick={() => show(feature)}>
                  {String(feature.properties.name ?? feature.id)}
                </button>{' '}
                <span className="muted">
                  {EXCLUDED_KIND_LABELS[draftOf(feature).kind][lang === 'en' ? 'en' : 'zh']} · {unitName(feature.properties.managingUnitId) ?? t('plan.areas.noManager')}
                </span>
                {typeof feature.properties.reason === 'string' && <div className="muted">{feature.properties.reason}</div>}
                {canEdit && editing !== feature.id && (
                  <div className="plan-area-actions">
                    <button
                      type="button"
                      onClick={() => {
                        setEditing(feature.id);
                        setDraft(draftOf(feature));
                        setMessage(null);
                      }}
                    >
                      {t('plan.areas.edit')}
                    </button>
                    <button type="button" onClick={() => remove(feature)} disabled={save.isPending}>
                      {t('plan.areas.remove')}
                    </button>
                  </div>
                )}
                {editing === feature.id && draft && (
                  <form className="plan-area-form" onSubmit={(e) => submit(e, feature)}>
                    <label>
                      {t('plan.attr.name')}
                      <input name="excluded-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} maxLength={100} />
                    </label>
                    <label>
                      {t('plan.areas.kind')}
                      <select name="excluded-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as ExcludedKind })}>
                        {EXCLUDED_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {EXCLUDED_KIND_LABELS[k][lang === 'en' ? 'en' : 'zh']}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t('plan.areas.managingUnit')}
                      <select name="excluded-unit" value={draft.managingUnitId} onChange={(e) => setDraft({ ...draft, managingUnitId: e.target.value })}>
                        <option value="">{t('plan.areas.noManager')}</option>
                        {units.map((u) => (
                          <option key={u.id} value={u.id}>
                            {u.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t('plan.areas.reason')}
                      <textarea name="excluded-reason" value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} maxLength={500} rows={2} />
                    </label>
                    <div className="plan-area-actions">
                      <button type="submit" className="primary" disabled={save.isPending} data-testid="excluded-save">
                        {t('plan.areas.save')}
                      </button>
                      <button
                        type="button"
                        onClick={() => {
                          setEditing(null);
                          setDraft(null);
                        }}
                      >
                        {t('plan.areas.cancel')}
                      </button>
                    </div>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
