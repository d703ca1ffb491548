import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { EDIT_LAYERS, isZoneLayer, sessionLayers, type EditLayer } from '../../../core/edit/edit-layer';
import { baseVersion, redoChange, undoChange } from '../../../core/edit/edit-session';
import type { TopologyProblem } from '../../../core/topology/topology-problem';
import { openIssuePointsQueryOptions } from '../../api/issues';
import { unitsQueryOptions } from '../../api/units';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import type { MapFocus } from '../../map/lazy-district-map';
import type { LayerCollection } from '../../map/map-data';
import { MapWorkspace } from '../shared/map-workspace';
import { SignInDialog, useSessionUser } from '../shared/session';
import type { MapData } from '../shared/use-map-data';
import { AttributeForm } from './attribute-form';
import { ConfirmDialog } from './confirm-dialog';
import { ConflictDialog } from './conflict-dialog';
import { DistrictAreasPanel } from './district-areas-panel';
import { HistoryPanel } from './history-panel';
import { ImpactList } from './impact-list';
import { ProblemList } from './problem-list';
import { SaveDialog } from './save-dialog';
import { storedEngineGeometry } from './stored-layers';
import { useEditCommands } from './use-edit-commands';
import { useEditController } from './use-edit-controller';
import { useEditKeys } from './use-edit-keys';
import { useEditSession } from './use-edit-session';
import { useImpactPreview } from './use-impact-preview';
import { useLiveValidation } from './use-live-validation';
import { usePlanNames } from './use-plan-names';
import { drawableGeometryOf, useSaveZoneEdit, type Outline } from './use-save-zone-edit';
import { useSelection } from './use-selection';
import { useSketchMode } from './use-sketch-mode';
import './plan.css';

/**
 * `/plan`, the planner's zone editor. A session over every zone layer (or roads) holds every
 * edit (vertex moves shared by neighbours in any zone layer: a community boundary moves with
 * its grids and street, new zones, splits, merges, attribute changes) with undo and redo; the core
 * topology check validates it live and a Worker runs the engine for the impact preview. Saving
 * sends the whole session as one atomic edit (one change per layer) with the versions it started
 * from: when someone else saved first the conflict dialog shows both and offers to re-apply on
 * top of theirs. Each job is a hook of its own (use-edit-session, use-selection, use-edit-commands,
 * use-sketch-mode, use-live-validation, use-impact-preview, use-save-zone-edit, use-edit-controller,
 * use-edit-keys); this component wires them and draws the panel.
 */
export function PlanEditor({ config, data }: { config: ClientConfig; data: MapData }) {
  const { t } = useI18n();
  const user = useSessionUser();
  const canEdit = user?.role === 'planner' || user?.role === 'admin';
  const units = useQuery(unitsQueryOptions()).data;
  const openIssues = useQuery(openIssuePointsQueryOptions(data.revision)).data;

  const [snapping, setSnapping] = useState(true);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [panel, setPanel] = useState<'attributes' | 'history'>('attributes');
  const [outlines, setOutlines] = useState<Outline[]>([]);
  const [signIn, setSignIn] = useState(false);

  const session = useEditSession(data);
  const { layer, active, features, layerOf, layerFeatures, diff, dirty, changes, update } = session;
  const selection = useSelection();
  const { selectedIds, selectedVertex } = selection;
  const commands = useEditCommands(session, selection, canEdit);
  const { nameOf, unitName } = usePlanNames(data.geometry, features, units);
  const sketch = useSketchMode(session, data.geometry, selection, commands, canEdit, nameOf, () => setPanel('attributes'));
  const { problems, errors, warnings } = useLiveValidation(data.geometry, units, session);

  // Impact preview in the Worker (only for edits the check accepts: the engine needs a clean tiling).
  const engineGeometry = useMemo(() => storedEngineGeometry(data.geometry), [data.geometry]);
  const impactEdit = useMemo(() => (dirty && errors.length === 0 ? { changes } : null), [dirty, errors.length, changes]);
  const impact = useImpactPreview(engineGeometry, openIssues, impactEdit);

  const saving = useSaveZoneEdit(session, nameOf, commands.setNotice, setOutlines, () => selection.setSelectedVertex(null));

  // The map: the session's features replace its layers once they differ from the stored ones (an
  // edit); the controller draws the rest. Before the first edit the map keeps the stored layers
  // themselves: a new collection of the same features would make maplibre cut the zones' tiles a
  // second time while the page is first drawn (the session starts in an effect after the map).
  const geometry = useMemo(() => {
    if (!active || !dirty || !data.geometry[layer]) return data.geometry;
    const next = { ...data.geometry };
    for (const l of sessionLayers(layer)) {
      next[l] = { type: 'FeatureCollection', features: [...features.values()].filter((f) => layerOf(f.id) === l) } satisfies LayerCollection;
    }
    return next;
  }, [data.geometry, active, dirty, layer, features, layerOf]);
  const mapData = useMemo(() => ({ ...data, geometry }), [data, geometry]);
  const touchedIds = useMemo(() => diff.upsert.map((f) => f.id), [diff]);
  const impactPoints = useMemo(() => impact.result?.issues.map((i) => ({ id: i.id, lon: i.lon, lat: i.lat })) ?? [], [impact.result]);
  const controller = useEditController(
    {
      onSelect: (point, additive, metresPerPixel) => {
        selection.selectAt(layerFeatures.values(), layer, point, additive, metresPerPixel);
        setOutlines([]);
      },
      onChange: commands.pointerEdit,
      onVertexSelect: selection.setSelectedVertex,
      onVertexDelete: commands.deleteVertexAt,
      onSketchFinish: sketch.finishSketch,
      onSketchChange: sketch.setSketchPoints,
    },
    {
      mode: sketch.mode,
      features,
      editableGeometry: isZoneLayer(layer) && canEdit,
      selectedIds,
      selectedVertex,
      snapping,
      touchedIds,
      problems,
      impact: impactPoints,
      outlines,
    },
  );
  useEditKeys({
    blocked: saving.saveOpen,
    mode: sketch.mode,
    setMode: sketch.setMode,
    controller,
    onUndoKey: (redo) => {
      update(redo ? redoChange : undoChange);
      selection.setSelectedVertex(null);
    },
    onRedoKey: () => update(redoChange),
    onDeleteVertex: selectedVertex && canEdit ? () => commands.deleteVertexAt(selectedVertex) : null,
  });

  const [askDiscard, setAskDiscard] = useState(false);
  const discard = () => {
    if (!active) return;
    session.discard();
    selection.setSelectedVertex(null);
    commands.setNotice({ kind: 'info', text: t('plan.notice.discarded') });
  };
  const switchLayer = (next: EditLayer) => {
    if (dirty && !window.confirm(t('plan.confirmSwitch'))) return;
    if (dirty) discard();
    session.setLayer(next);
    selection.clear();
    sketch.setMode('select');
    setOutlines([]);
  };
  const showProblem = (p: TopologyProblem) => {
    if (p.location) setFocus({ lon: p.location[0], lat: p.location[1], zoom: 16 });
    if (layerFeatures.has(p.featureId)) selection.setSelectedIds([p.featureId]);
  };

  const selected = selectedIds.length === 1 ? features.get(selectedIds[0]!) : undefined;
  const versionOf = (id: string) => (active ? baseVersion(active, id) : null);
  const summary = t('plan.save.summary', {
    changed: diff.upsert.filter((f) => active?.base.has(f.id)).length,
    added: diff.upsert.filter((f) => !active?.base.has(f.id)).length,
    removed: diff.remove.length,
  });
  const canMerge = canEdit && isZoneLayer(layer) && selectedIds.length >= 2;
  // Why each disabled button is disabled, said on the button (title) and, for saving, beside it.
  const drawBlocked = !canEdit ? t('why.signIn') : !isZoneLayer(layer) ? t('why.roadLayer') : undefined;
  const mergeBlocked = canMerge ? undefined : (drawBlocked ?? t('why.mergeNeedsTwo'));
  const saveBlocked = !canEdit ? t('why.signIn') : !dirty ? t('why.noChanges') : errors.length > 0 ? t('why.hasErrors', { count: errors.length }) : null;
  const { mode, sketchPoints, setMode } = sketch;
  const { notice } = commands;

  return (
    <div className="plan-view plan-editor">
      <MapWorkspace
        data={mapData}
        tiandituKey={config.tiandituKey}
        className="plan-map"
        initialVisibility={{ issues: false }}
        focus={focus}
        onMapReady={controller.attach}
      >
        {saving.conflict && (
          <ConflictDialog
            entries={saving.conflict}
            busy={saving.conflictBusy}
            onReapply={() => void saving.resolveConflict(true)}
            onDiscard={() => void saving.resolveConflict(false)}
            onClose={saving.closeConflict}
          />
        )}
      </MapWorkspace>
      <aside className="plan-side side-panel" aria-label={t('plan.title')}>
        <header className="plan-head">
          <h2>{t('plan.title')}</h2>
          {!canEdit && (
            <p className="plan-signin">
              {t('plan.signInToEdit')}{' '}
              <button type="button" onClick={() => setSignIn(true)}>
                {t('session.signIn')}
              </button>
            </p>
          )}
        </header>
        <div className="plan-toolbar" role="toolbar" aria-label={t('plan.tools')}>
          <label>
            {t('plan.layer')}
            <select value={layer} onChange={(e) => switchLayer(EDIT_LAYERS.find((l) => l === e.target.value) ?? layer)} name="edit-layer">
              {EDIT_LAYERS.map((l) => (
                <option key={l} value={l}>
                  {t(`layer.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="plan-modes">
            <button type="button" aria-pressed={mode === 'select'} onClick={() => setMode('select')}>
              {t('plan.mode.select')}
            </button>
            <button type="button" aria-pressed={mode === 'draw'} disabled={!canEdit || !isZoneLayer(layer)} title={drawBlocked} onClick={() => setMode('draw')} data-testid="mode-draw">
              {t(layer === 'grids' ? 'plan.mode.drawGrid' : 'plan.mode.draw')}
            </button>
            <button type="button" aria-pressed={mode === 'split'} disabled={!canEdit || !isZoneLayer(layer)} title={drawBlocked} onClick={() => setMode('split')} data-testid="mode-split">
              {t('plan.mode.split')}
            </button>
            <button type="button" disabled={!canMerge} title={mergeBlocked} onClick={commands.mergeSelected}>
              {t('plan.merge', { count: selectedIds.length })}
            </button>
          </div>
          <div className="plan-history-buttons">
            <button type="button" disabled={!active?.done.length} onClick={() => update(undoChange)} title={active?.done.length ? 'Ctrl+Z' : t('why.nothingToUndo')} data-testid="undo">
              {t('plan.undo')}
            </button>
            <button type="button" disabled={!active?.undone.length} onClick={() => update(redoChange)} title={active?.undone.length ? 'Ctrl+Shift+Z' : t('why.nothingToRedo')}>
              {t('plan.redo')}
            </button>
            <button
              type="button"
              disabled={!selectedVertex || !canEdit}
              title={!canEdit ? t('why.signIn') : !selectedVertex ? t('why.noVertex') : undefined}
              onClick={() => selectedVertex && commands.deleteVertexAt(selectedVertex)}
            >
              {t('plan.deleteVertex')}
            </button>
            <label className="checkbox">
              <input type="checkbox" checked={snapping} onChange={(e) => setSnapping(e.target.checked)} name="snapping" /> {t('plan.snapping')}
            </label>
          </div>
          <p className="hint" data-testid="mode-hint">
            {mode === 'select'
              ? t(isZoneLayer(layer) ? 'plan.hint.select' : 'plan.hint.selectRoad')
              : t(mode === 'draw' ? 'plan.hint.draw' : 'plan.hint.split', { count: sketchPoints })}
          </p>
          {notice && (
            <p className={notice.kind === 'error' ? 'field-error' : 'plan-notice'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="plan-notice">
              {notice.text}
            </p>
          )}
        </div>

        <section className="plan-section" aria-label={t('plan.validation.title')}>
          <h3>
            {t('plan.validation.title')}
            {dirty && <span className="muted"> · {t('plan.changes', { count: diff.upsert.length + diff.remove.length })}</span>}
          </h3>
          {dirty ? <ProblemList problems={problems} nameOf={(id) => nameOf(id)} onShow={showProblem} /> : <p className="muted">{t('plan.noChanges')}</p>}
        </section>

        {dirty && errors.length === 0 && (
          <section className="plan-section" aria-label={t('plan.impact.title')}>
            <h3>
              {t('plan.impact.title')}
              {impact.ms !== null && !impact.pending && <span className="muted"> · {t('plan.impact.worker', { ms: Math.round(impact.ms) })}</span>}
            </h3>
            {impact.pending && <p className="muted">{t('plan.impact.computing')}</p>}
            {impact.error && <p className="field-error">{impact.error}</p>}
            {impact.result && !impact.pending && (
              <ImpactList
                issues={impact.result.issues}
                checkpoints={impact.result.checkpoints}
                nameOf={nameOf}
                unitName={unitName}
                onShow={(i) => i.lon !== undefined && i.lat !== undefined && setFocus({ lon: i.lon, lat: i.lat, zoom: 17 })}
                testId="impact-preview"
              />
            )}
          </section>
        )}

        <div className="plan-save">
          <button type="button" className="primary" disabled={saveBlocked !== null} title={saveBlocked ?? undefined} onClick={saving.openSave} data-testid="save">
            {t('plan.save.button')}
          </button>
          <button type="button" disabled={!dirty} onClick={() => setAskDiscard(true)} title={!dirty ? t('why.noChanges') : undefined} data-testid="discard">
            {t('plan.discard')}
          </button>
          {saveBlocked && errors.length === 0 && <span className="muted" data-testid="save-why">{saveBlocked}</span>}
          {errors.length > 0 && (
            <span className="field-error" data-testid="save-blocked">
              {t('plan.save.blocked', { count: errors.length })}
            </span>
          )}
        </div>

        {selected && (
          <section className="plan-section plan-feature" aria-label={String(selected.properties.name ?? selected.id)}>
            <div className="plan-tabs" role="tablist">
              <button type="button" role="tab" aria-selected={panel === 'attributes'} onClick={() => setPanel('attributes')}>
                {t('plan.attr.title')}
              </button>
              <button type="button" role="tab" aria-selected={panel === 'history'} onClick={() => setPanel('history')} disabled={!active?.base.has(selected.id)} title={active?.base.has(selected.id) ? undefined : t('why.noHistory')}>
                {t('plan.history.title')}
              </button>
            </div>
            <h3 data-testid="selected-name">{String(selected.properties.name ?? selected.id)}</h3>
            {panel === 'attributes' || !active?.base.has(selected.id) ? (
              <AttributeForm
                layer={layer}
                feature={selected}
                units={units ?? []}
                disabled={!canEdit}
                onApply={(properties) => commands.applyAttributes(selected.id, properties)}
              />
            ) : (
              <HistoryPanel
                layer={layer}
                id={selected.id}
                currentVersion={versionOf(selected.id)}
                name={String(selected.properties.name ?? selected.id)}
                canRollback={canEdit && !dirty}
                rollbackBlocked={!canEdit ? t('why.signIn') : dirty ? t('why.unsavedBeforeRollback') : null}
                onShowDiff={(entry) => setOutlines(entry ? historyOutlines(entry) : [])}
                onRolledBack={(result) => void saving.afterSave(result, t('plan.notice.rolledBack', { issues: result.reassigned.length }))}
              />
            )}
          </section>
        )}
        {selectedIds.length > 1 && <p className="muted">{t('plan.selectedMany', { count: selectedIds.length })}</p>}
        <DistrictAreasPanel data={data} units={units ?? []} canEdit={canEdit} onFocus={setFocus} />
      </aside>
      {saving.saveOpen && (
        <SaveDialog
          summary={summary}
          warnings={warnings}
          request={{ changes }}
          nameOf={nameOf}
          unitName={unitName}
          localCount={impact.result && !impact.pending ? impact.result.issues.length : null}
          saving={saving.save.isPending}
          error={saving.saveError}
          onSave={(note) => saving.save.mutate(note)}
          onClose={saving.closeSave}
        />
      )}
      {askDiscard && (
        <ConfirmDialog
          title={t('safe.discard.title')}
          body={t('safe.discard.body', { summary })}
          confirmLabel={t('safe.discard.confirm')}
          onConfirm={() => {
            setAskDiscard(false);
            discard();
          }}
          onCancel={() => setAskDiscard(false)}
        />
      )}
      {signIn && <SignInDialog onClose={() => setSignIn(false)} />}
    </div>
  );
}

/** A history entry's versions outlined on the map: before red, after green (a side without geometry is left out). */
function historyOutlines(entry: { before: unknown; after: unknown }): Outline[] {
  const out: Outline[] = [];
  const before = drawableGeometryOf(entry.before);
  const after = drawableGeometryOf(entry.after);
  if (before) out.push({ which: 'before', geometry: before });
  if (after) out.push({ which: 'after', geometry: after });
  return out;
}
