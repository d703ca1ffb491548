import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LayerParam, ZoneEditResponse } from '../../../core/api/api-schema';
import type { DistrictGeometry, Unit } from '../../../core/district/district-schema';
import { splitWithChildren, withChildrenFollowing } from '../../../core/edit/children-follow';
import { drawPolygon } from '../../../core/edit/draw-polygon';
import { applyChange } from '../../../core/edit/edit-change';
import type { EngineGeometry } from '../../../core/edit/edit-impact';
import { commitChange, rebaseSession, redoChange, sessionDiff, startSession, undoChange, type EditSession } from '../../../core/edit/edit-session';
import { EditError, type AreaFeature, type EditableFeature, type EditChange, type Position, type VertexRef } from '../../../core/edit/edit-types';
import { mergePolygons } from '../../../core/edit/merge-polygons';
import { partsOf, pointInPolygonRings } from '../../../core/edit/ring-math';
import { deleteVertex, replaceProperties } from '../../../core/edit/vertex-edit';
import type { AreaGeometry } from '../../../core/geometry/geometry-schema';
import type { TopologyProblem } from '../../../core/topology/topology-problem';
import { buildZoneEditIndex } from '../../../core/topology/zone-edit-check';
import { checkZoneEdits, splitByLayer, ZONE_LAYERS } from '../../../core/edit/zone-layers';
import { ApiRequestError } from '../../api/http';
import { openIssuePointsQueryOptions } from '../../api/issues';
import { layerQueryOptions } from '../../api/layer';
import { unitsQueryOptions } from '../../api/units';
import { fetchZone, saveZoneEdit, zoneHistoryQueryOptions } from '../../api/zone-edits';
import type { ClientConfig } from '../../config';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { EditController, type EditMapState, type EditMode } from '../../map/edit-controller';
import type { MapFocus } from '../../map/lazy-district-map';
import type { LayerCollection } from '../../map/map-data';
import { MapWorkspace } from '../shared/map-workspace';
import { SignInDialog, useSessionUser } from '../shared/session';
import type { MapData } from '../shared/use-map-data';
import { AttributeForm } from './attribute-form';
import { ConflictDialog, type ConflictEntry } from './conflict-dialog';
import { CHILD_OF, EDIT_LAYERS, freeCode, isZoneLayer, layerOfNewId, newFeatureId, PARENT_OF, pickFeature, type EditLayer } from './edit-layer';
import { HistoryPanel } from './history-panel';
import { ImpactList } from './impact-list';
import { ProblemList } from './problem-list';
import { SaveDialog } from './save-dialog';
import { useImpactPreview } from './use-impact-preview';
import './plan.css';

type Session = EditSession<EditableFeature>;
type FromLayers = Partial<Record<EditLayer, LayerCollection>>;

/** The layers one session holds: every zone layer (a boundary moves in all of them), or roads. */
const scopeOf = (layer: EditLayer): readonly EditLayer[] => (isZoneLayer(layer) ? ZONE_LAYERS : [layer]);
const sameFrom = (a: FromLayers, b: FromLayers) => EDIT_LAYERS.every((l) => a[l] === b[l]);

/**
 * The features a session over `from` starts with, and the layer of each. Zone ids are distinct
 * across layers in every district we know; if they are not, the session holds only `layer`.
 */
function sessionFeatures(from: FromLayers, layer: EditLayer): { features: EditableFeature[]; layerOf: Map<string, EditLayer> } {
  const layerOf = new Map<string, EditLayer>();
  const features: EditableFeature[] = [];
  for (const l of scopeOf(layer)) {
    for (const f of (from[l]?.features ?? []) as unknown as EditableFeature[]) {
      if (layerOf.has(f.id)) {
        const own = (from[layer]?.features ?? []) as unknown as EditableFeature[];
        return { features: own, layerOf: new Map(own.map((x) => [x.id, layer])) };
      }
      layerOf.set(f.id, l);
      features.push(f);
    }
  }
  return { features, layerOf };
}
type Outline = EditMapState['outlines'][number];

/**
 * `/plan`, the planner's zone editor. A session over every zone layer (or roads) holds every
 * edit (vertex moves shared by neighbours in any zone layer: a community boundary moves with
 * its grids and street, new zones, splits, merges, attribute changes) with undo and redo; the core
 * topology check validates it live and a Worker runs the engine for the impact preview. Saving
 * sends the whole session as one atomic edit (one change per layer) with the versions it started from: when someone
 * else saved first the conflict dialog shows both and offers to re-apply on top of theirs.
 */
const NO_FEATURES: ReadonlyMap<string, EditableFeature> = new Map();

export function PlanEditor({ config, data }: { config: ClientConfig; data: MapData }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const user = useSessionUser();
  const canEdit = user?.role === 'planner' || user?.role === 'admin';
  const units = useQuery(unitsQueryOptions()).data;
  const openIssues = useQuery(openIssuePointsQueryOptions(data.revision)).data;

  const [layer, setLayer] = useState<EditLayer>('grids');
  const [session, setSession] = useState<{ layer: EditLayer; from: FromLayers; layerOf: Map<string, EditLayer>; session: Session } | null>(null);
  const [mode, setMode] = useState<EditMode>('select');
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [selectedVertex, setSelectedVertex] = useState<VertexRef | null>(null);
  const [snapping, setSnapping] = useState(true);
  const [notice, setNotice] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [sketchPoints, setSketchPoints] = useState(0);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [panel, setPanel] = useState<'attributes' | 'history'>('attributes');
  const [diffOutlines, setDiffOutlines] = useState<Outline[]>([]);
  const [saveOpen, setSaveOpen] = useState(false);
  const [conflict, setConflict] = useState<ConflictEntry[] | null>(null);
  const [signIn, setSignIn] = useState(false);
  const resetAfterSave = useRef(false);

  const layerData = data.geometry[layer];
  const { streets: streetsData, communities: communitiesData, grids: gridsData, roads: roadsData } = data.geometry;
  const fromLayers = useMemo<FromLayers | null>(() => {
    const all: FromLayers = { streets: streetsData, communities: communitiesData, grids: gridsData, roads: roadsData };
    const out: FromLayers = {};
    for (const l of scopeOf(layer)) {
      if (!all[l]) return null;
      out[l] = all[l];
    }
    return out;
  }, [layer, streetsData, communitiesData, gridsData, roadsData]);
  // A session starts from the layers as loaded, and again when fresh data arrives while it has no edits.
  useEffect(() => {
    if (!fromLayers) return;
    setSession((current) => {
      if (current && current.layer === layer && sameFrom(current.from, fromLayers)) return current;
      const dirty = current && current.layer === layer && current.session.done.length > 0;
      if (dirty && !resetAfterSave.current) return current;
      resetAfterSave.current = false;
      const { features: start, layerOf } = sessionFeatures(fromLayers, layer);
      return { layer, from: fromLayers, layerOf, session: startSession(start) };
    });
  }, [layer, fromLayers]);
  const active = session && session.layer === layer ? session.session : null;
  // Every zone layer's features: vertex edits move a boundary in all of them.
  const features = active?.features ?? NO_FEATURES;
  // Zones made in this session are known by their ids' prefix (a split community's grids are grids).
  const layerOf = useCallback((id: string): EditLayer => session?.layerOf.get(id) ?? layerOfNewId(id) ?? layer, [session, layer]);
  // The selected layer's features: what the planner picks, splits, merges and draws among.
  const layerFeatures = useMemo(() => new Map([...features].filter(([id]) => layerOf(id) === layer)), [features, layerOf, layer]);
  const diff = useMemo(() => (active ? sessionDiff(active) : { upsert: [], remove: [] }), [active]);
  const dirty = diff.upsert.length + diff.remove.length > 0;
  // The diff by layer, as the server's multi-layer edit takes it.
  const changes = useMemo(
    () => (isZoneLayer(layer) ? splitByLayer(diff, (id) => layerOf(id) as 'streets' | 'communities' | 'grids') : dirty ? [{ layer, ...diff }] : []),
    [diff, dirty, layer, layerOf],
  );

  const update = useCallback((next: (s: Session) => Session) => {
    setSession((current) => (current ? { ...current, session: next(current.session) } : current));
  }, []);
  const commit = useCallback(
    (change: EditChange<EditableFeature>) => {
      if (change.before.length === 0 && change.after.length === 0) return;
      update((s) => commitChange(s, change));
      setNotice(null);
    },
    [update],
  );
  const errorText = useCallback(
    (error: unknown) => (error instanceof EditError ? t(`plan.editError.${error.code}` as MessageKey) : error instanceof Error ? error.message : String(error)),
    [t],
  );
  const attempt = useCallback(
    (make: () => EditChange<EditableFeature>) => {
      try {
        commit(make());
        return true;
      } catch (error) {
        setNotice({ kind: 'error', text: errorText(error) });
        return false;
      }
    },
    [commit, errorText],
  );

  // Splitting, merging or drawing a street or community takes its communities or grids along:
  // each goes to the zone that now holds most of it, in the same change (one undo).
  const withChildren = useCallback(
    (change: EditChange<EditableFeature>): { change: EditChange<EditableFeature>; moved: number } => {
      const childLayer = CHILD_OF[layer];
      if (!childLayer) return { change, moved: 0 };
      const zones = change as EditChange<AreaFeature>;
      const parentsAfter = applyChange(layerFeatures as ReadonlyMap<string, AreaFeature>, zones).values();
      const children = [...features.values()].filter((f) => layerOf(f.id) === childLayer) as AreaFeature[];
      const followed = withChildrenFollowing(zones, parentsAfter, children);
      return { change: followed.change, moved: followed.moved.length };
    },
    [layer, layerFeatures, features, layerOf],
  );
  /** " 3 个网格随之改属所在的区划。" for a notice, when `count` zones below followed an edit. */
  const followedText = (count: number) => (count > 0 ? t('plan.notice.childrenFollowed', { count, layer: t(`layer.${CHILD_OF[layer]}` as MessageKey) }) : '');

  // Live validation with the core's zone-edit check (what the server will say on save).
  const zoneIndex = useMemo(() => {
    const { streets, communities, grids } = data.geometry;
    if (!streets || !communities || !grids || !units) return null;
    return buildZoneEditIndex({
      units,
      streets: streets.features as unknown as DistrictGeometry['streets'],
      communities: communities.features as unknown as DistrictGeometry['communities'],
      grids: grids.features as unknown as DistrictGeometry['grids'],
    });
  }, [data.geometry, units]);
  const problems: TopologyProblem[] = useMemo(() => {
    if (!dirty || !zoneIndex || !isZoneLayer(layer) || !session || !fromLayers || !sameFrom(session.from, fromLayers) || !units) return [];
    const district = {
      units,
      streets: data.geometry.streets!.features as unknown as DistrictGeometry['streets'],
      communities: data.geometry.communities!.features as unknown as DistrictGeometry['communities'],
      grids: data.geometry.grids!.features as unknown as DistrictGeometry['grids'],
    };
    try {
      return checkZoneEdits(district, changes as never, zoneIndex);
    } catch (error) {
      return [{ code: 'self_intersection', severity: 'error', layer, featureId: diff.upsert[0]?.id ?? '', message: (error as Error).message }];
    }
  }, [dirty, zoneIndex, layer, diff, changes, session, fromLayers, data.geometry, units]);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');

  // Impact preview in the Worker (only for edits the check accepts: the engine needs a clean tiling).
  const engineGeometry = useMemo<EngineGeometry | null>(() => {
    const g = data.geometry;
    if (!g.streets || !g.communities || !g.grids || !g.roads || !g.checkpoints) return null;
    return {
      streets: g.streets.features,
      communities: g.communities.features,
      grids: g.grids.features,
      roads: g.roads.features,
      checkpoints: g.checkpoints.features,
    } as unknown as EngineGeometry;
  }, [data.geometry]);
  const impactEdit = useMemo(() => (dirty && errors.length === 0 ? { changes } : null), [dirty, errors.length, changes]);
  const impact = useImpactPreview(engineGeometry, openIssues, impactEdit);

  // Names for lists.
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const l of ['streets', 'communities', 'grids', 'roads'] as LayerParam[]) {
      for (const f of data.geometry[l]?.features ?? []) map.set(f.id, String(f.properties.name ?? f.id));
    }
    for (const f of features.values()) map.set(f.id, String(f.properties.name ?? f.id));
    return map;
  }, [data.geometry, features]);
  const nameOf = useCallback((id: string | null) => (id ? (names.get(id) ?? id) : t('plan.none')), [names, t]);
  const unitName = useCallback((id: string | null) => (id ? (units?.find((u) => u.id === id)?.name ?? id) : t('plan.office')), [units, t]);

  // The map: the session's features replace the edited layer; the controller draws the rest.
  const geometry = useMemo(() => {
    if (!active || !layerData) return data.geometry;
    const next = { ...data.geometry };
    for (const l of Object.keys(session?.from ?? {}) as EditLayer[]) {
      next[l] = { type: 'FeatureCollection', features: [...active.features.values()].filter((f) => layerOf(f.id) === l) } as LayerCollection;
    }
    return next;
  }, [data.geometry, active, layerData, session, layerOf]);
  const mapData = useMemo(() => ({ ...data, geometry }), [data, geometry]);

  const handlers = useRef({
    onSelect: (_p: Position, _a: boolean, _m: number) => {},
    onChange: (_c: EditChange<AreaFeature>) => {},
    onVertexSelect: (_r: VertexRef | null) => {},
    onVertexDelete: (_r: VertexRef) => {},
    onSketchFinish: (_p: Position[], _m: 'draw' | 'split') => {},
    onSketchChange: (_n: number) => {},
  });
  const controller = useMemo(
    () =>
      new EditController({
        onSelect: (p, a, m) => handlers.current.onSelect(p, a, m),
        onChange: (c) => handlers.current.onChange(c),
        onVertexSelect: (r) => handlers.current.onVertexSelect(r),
        onVertexDelete: (r) => handlers.current.onVertexDelete(r),
        onSketchFinish: (p, m) => handlers.current.onSketchFinish(p, m),
        onSketchChange: (n) => handlers.current.onSketchChange(n),
      }),
    [],
  );

  const selectAt = (point: Position, additive: boolean, metresPerPixel: number) => {
    // Roads are picked within 12 px of their centreline.
    const hit = pickFeature(layerFeatures.values(), point, layer, 12 * metresPerPixel);
    setSelectedVertex(null);
    setDiffOutlines([]);
    if (!hit) return setSelectedIds(additive ? selectedIds : []);
    if (additive) setSelectedIds(selectedIds.includes(hit.id) ? selectedIds.filter((i) => i !== hit.id) : [...selectedIds, hit.id]);
    else setSelectedIds([hit.id]);
  };

  const finishSketch = (points: Position[], sketchMode: 'draw' | 'split') => {
    if (!canEdit || !isZoneLayer(layer)) return;
    const zones = layerFeatures as ReadonlyMap<string, AreaFeature>;
    const taken = new Set([...features.keys(), ...(data.geometry[layer]?.features.map((f) => f.id) ?? [])]);
    if (sketchMode === 'split') {
      const targets = selectedIds.length === 1 ? selectedIds : [...zones.keys()];
      let lastError: unknown = new EditError('line_must_cross_twice', '');
      for (const id of targets) {
        const newId = newFeatureId(layer, taken);
        try {
          // The zone, and along the same line the communities and grids below it that the line cuts.
          const levels: ReadonlyMap<string, AreaFeature>[] = [zones];
          const levelLayers: EditLayer[] = [layer];
          for (let below = CHILD_OF[layer]; below; below = CHILD_OF[below]) {
            const level = below;
            levels.push(new Map([...features].filter(([fid]) => layerOf(fid) === level)) as ReadonlyMap<string, AreaFeature>);
            levelLayers.push(level);
          }
          const created: EditableFeature[][] = levels.map(() => []);
          const pieceOf = (level: number, zone: AreaFeature) => {
            const pieceId = level === 0 ? newId : newFeatureId(levelLayers[level]!, taken);
            taken.add(pieceId);
            const newProperties = {
              ...withoutVersion(zone.properties),
              code: freeCode(String(zone.properties.code ?? zone.id), [...levels[level]!.values(), ...created[level]!]),
              name: `${String(zone.properties.name ?? zone.id)}（分）`,
            };
            created[level]!.push({ type: 'Feature', id: pieceId, geometry: zone.geometry, properties: newProperties });
            return { newId: pieceId, newProperties };
          };
          const { change, moved, split } = splitWithChildren(levels, id, points, pieceOf);
          commit(change);
          setSelectedIds([newId]);
          setPanel('attributes');
          setMode('select');
          const below = split.length - 1;
          setNotice({
            kind: 'info',
            text:
              t('plan.notice.split', { name: nameOf(id) }) +
              (below > 0 ? t('plan.notice.childrenSplit', { count: below }) : '') +
              (moved.length > 0 ? t('plan.notice.childrenFollowed', { count: moved.length, layer: t('plan.notice.lowerZones') }) : ''),
          });
          return;
        } catch (error) {
          lastError = error;
          if (selectedIds.length !== 1 && error instanceof EditError && error.code === 'line_must_cross_twice') continue;
          break;
        }
      }
      setNotice({ kind: 'error', text: errorText(lastError) });
      return;
    }
    // A new zone: inside the parent under its first point, cut out of the siblings there.
    const parentLayer = PARENT_OF[layer];
    const parent = parentLayer ? findContaining(data.geometry[parentLayer]?.features as unknown as AreaFeature[] | undefined, points[0]) : null;
    if (parentLayer && !parent) return setNotice({ kind: 'error', text: t('plan.notice.noParent') });
    const siblings = [...zones.values()].filter((f) => (parent ? f.properties.parentId === parent.id : true));
    const id = newFeatureId(layer, taken);
    const count = siblings.length + 1;
    const properties: Record<string, unknown> = {
      code: freeCode(String(parent?.properties.code ?? layer), zones.values()),
      name: t('plan.newZoneName', { n: count }),
      parentId: parent?.id ?? null,
      ownerUnitId: (parent?.properties.ownerUnitId as string | null | undefined) ?? null,
      ...(layer === 'grids' ? { gridLeader: null, gridWorkers: [] } : { leader: null }),
    };
    let followed = 0;
    const drawn = attempt(() => {
      const made = withChildren(drawPolygon(points, { id, properties, carveFrom: siblings, parent }));
      followed = made.moved;
      return made.change;
    });
    if (drawn) {
      setSelectedIds([id]);
      setMode('select');
      setPanel('attributes');
      setNotice({ kind: 'info', text: t('plan.notice.drawn') + followedText(followed) });
    }
  };

  handlers.current = {
    onSelect: selectAt,
    onChange: (change) => (canEdit ? commit(change) : setNotice({ kind: 'error', text: t('plan.signInToEdit') })),
    onVertexSelect: setSelectedVertex,
    onVertexDelete: (ref) => canEdit && attempt(() => deleteVertex(features as ReadonlyMap<string, AreaFeature>, ref)) && setSelectedVertex(null),
    onSketchFinish: finishSketch,
    onSketchChange: setSketchPoints,
  };

  // Leaving the page with unsaved edits asks first (the browser's own dialog).
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  // Undo / redo / delete / finish from the keyboard (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      if (saveOpen) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        update(e.shiftKey ? redoChange : undoChange);
        setSelectedVertex(null);
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        update(redoChange);
      } else if (e.key === 'Enter' && mode !== 'select') {
        controller.finishSketch();
      } else if (e.key === 'Escape') {
        if (mode !== 'select') setMode('select');
        controller.cancelSketch();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && mode !== 'select') {
        controller.undoSketchPoint();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && selectedVertex && canEdit) {
        e.preventDefault();
        handlers.current.onVertexDelete(selectedVertex);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [update, controller, mode, selectedVertex, canEdit, saveOpen]);

  // Feed the map.
  const touchedIds = useMemo(() => diff.upsert.map((f) => f.id), [diff]);
  const impactPoints = useMemo(() => impact.result?.issues.map((i) => ({ id: i.id, lon: i.lon, lat: i.lat })) ?? [], [impact.result]);
  useEffect(() => {
    controller.update({
      mode,
      features,
      editableGeometry: isZoneLayer(layer) && canEdit,
      selectedIds,
      selectedVertex,
      snapping,
      touchedIds,
      problems,
      impact: impactPoints,
      outlines: diffOutlines,
    });
  }, [controller, mode, features, layer, canEdit, selectedIds, selectedVertex, snapping, touchedIds, problems, impactPoints, diffOutlines]);

  // Saving.
  const baseVersion = (id: string) => {
    const f = active?.base.get(id);
    return f ? (typeof f.properties.version === 'number' ? f.properties.version : 1) : null;
  };
  const expectedVersions = (change: { upsert: readonly EditableFeature[]; remove: readonly string[] }) => {
    const out: Record<string, number> = {};
    for (const id of [...change.upsert.map((f) => f.id), ...change.remove]) {
      const v = baseVersion(id);
      if (v !== null) out[id] = v;
    }
    return out;
  };
  const afterSave = async (result: ZoneEditResponse | null, message: string) => {
    resetAfterSave.current = true;
    setSelectedVertex(null);
    setDiffOutlines([]);
    await Promise.all([
      ...(result?.layers ?? [layer]).map((l) => client.invalidateQueries({ queryKey: ['layer', l] })),
      client.invalidateQueries({ queryKey: ['counts'] }),
      client.invalidateQueries({ queryKey: ['issues'] }),
      client.invalidateQueries({ queryKey: ['summary'] }),
      client.invalidateQueries({ queryKey: ['zone-history'] }),
    ]);
    setNotice({ kind: 'info', text: message });
    void result;
  };
  const save = useMutation({
    mutationFn: (note: string) =>
      saveZoneEdit({ changes: changes.map((c) => ({ layer: c.layer, upsert: c.upsert as never, remove: c.remove, expectedVersions: expectedVersions(c) })), note }),
    onSuccess: async (result) => {
      setSaveOpen(false);
      await afterSave(result, t('plan.notice.saved', { issues: result.reassigned.length, checkpoints: result.checkpoints.length }));
    },
    onError: async (error) => {
      if (error instanceof ApiRequestError && error.status === 412) {
        setSaveOpen(false);
        await openConflict(error.details);
      }
    },
  });

  const openConflict = async (details: unknown) => {
    const list = ((details as { conflicts?: { layer?: EditLayer; id: string; expected: number; actual: number | null }[] } | null)?.conflicts ?? []).slice(0, 20);
    const entries: ConflictEntry[] = [];
    const outlines: Outline[] = [];
    for (const c of list) {
      const mine = features.get(c.id);
      if (mine) outlines.push({ which: 'mine', geometry: mine.geometry });
      let by: string | null = null;
      let at: string | null = null;
      let note: string | null = null;
      try {
        const theirs = await fetchZone(c.layer ?? layerOf(c.id), c.id);
        outlines.push({ which: 'theirs', geometry: theirs.geometry as EditableFeature['geometry'] });
        const history = await client.fetchQuery(zoneHistoryQueryOptions(c.layer ?? layerOf(c.id), c.id));
        const last = history.history.at(-1);
        by = last?.by ?? null;
        at = last?.at ?? null;
        note = last?.note ?? null;
      } catch {
        /* deleted meanwhile: shown as such */
      }
      entries.push({ id: c.id, name: nameOf(c.id), mine: c.expected, theirs: c.actual, by, at, note });
    }
    setDiffOutlines(outlines);
    setConflict(entries);
  };
  const [conflictBusy, setConflictBusy] = useState(false);
  const reload = async (reapply: boolean) => {
    setConflictBusy(true);
    try {
      const from: FromLayers = {};
      for (const l of scopeOf(layer)) from[l] = (await client.fetchQuery({ ...layerQueryOptions(l), staleTime: 0 })) as unknown as LayerCollection;
      const { features: fresh, layerOf: freshLayerOf } = sessionFeatures(from, layer);
      setSession((current) =>
        current && current.layer === layer
          ? { layer, from, layerOf: freshLayerOf, session: reapply ? rebaseSession(current.session, fresh) : startSession(fresh) }
          : current,
      );
      setConflict(null);
      setDiffOutlines([]);
      setNotice({ kind: 'info', text: reapply ? t('plan.notice.reapplied') : t('plan.notice.discarded') });
    } finally {
      setConflictBusy(false);
    }
  };

  const discard = () => {
    if (!active) return;
    update((s) => startSession(s.base.values()));
    setSelectedVertex(null);
    setNotice({ kind: 'info', text: t('plan.notice.discarded') });
  };

  const switchLayer = (next: EditLayer) => {
    if (dirty && !window.confirm(t('plan.confirmSwitch'))) return;
    if (dirty) discard();
    setLayer(next);
    setSelectedIds([]);
    setSelectedVertex(null);
    setMode('select');
    setDiffOutlines([]);
  };

  const selected = selectedIds.length === 1 ? features.get(selectedIds[0]) : undefined;
  const showProblem = (p: TopologyProblem) => {
    if (p.location) setFocus({ lon: p.location[0], lat: p.location[1], zoom: 16 });
    if (layerFeatures.has(p.featureId)) setSelectedIds([p.featureId]);
  };
  const summary = t('plan.save.summary', {
    changed: diff.upsert.filter((f) => active?.base.has(f.id)).length,
    added: diff.upsert.filter((f) => !active?.base.has(f.id)).length,
    removed: diff.remove.length,
  });
  const canMerge = canEdit && isZoneLayer(layer) && selectedIds.length >= 2;

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
        {conflict && (
          <ConflictDialog
            entries={conflict}
            busy={conflictBusy}
            onReapply={() => void reload(true)}
            onDiscard={() => void reload(false)}
            onClose={() => {
              setConflict(null);
              setDiffOutlines([]);
            }}
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
            <select value={layer} onChange={(e) => switchLayer(e.target.value as EditLayer)} name="edit-layer">
              {EDIT_LAYERS.map((l) => (
                <option key={l} value={l}>
                  {t(`layer.${l}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <div className="plan-modes">
            <button type="button" aria-pressed={mode === 'select'} onClick={() => setMode('select')}>
              {t('plan.mode.select')}
            </button>
            <button type="button" aria-pressed={mode === 'draw'} disabled={!canEdit || !isZoneLayer(layer)} onClick={() => setMode('draw')} data-testid="mode-draw">
              {t(layer === 'grids' ? 'plan.mode.drawGrid' : 'plan.mode.draw')}
            </button>
            <button type="button" aria-pressed={mode === 'split'} disabled={!canEdit || !isZoneLayer(layer)} onClick={() => setMode('split')} data-testid="mode-split">
              {t('plan.mode.split')}
            </button>
            <button type="button" disabled={!canMerge} onClick={() => {
                let followed = 0;
                const merged = attempt(() => {
                  const made = withChildren(mergePolygons(layerFeatures as ReadonlyMap<string, AreaFeature>, selectedIds, selectedIds[0]));
                  followed = made.moved;
                  return made.change;
                });
                if (!merged) return;
                setSelectedIds([selectedIds[0]]);
                if (followed > 0) setNotice({ kind: 'info', text: followedText(followed).trim() });
              }}
            >
              {t('plan.merge', { count: selectedIds.length })}
            </button>
          </div>
          <div className="plan-history-buttons">
            <button type="button" disabled={!active?.done.length} onClick={() => update(undoChange)} title="Ctrl+Z" data-testid="undo">
              {t('plan.undo')}
            </button>
            <button type="button" disabled={!active?.undone.length} onClick={() => update(redoChange)} title="Ctrl+Shift+Z">
              {t('plan.redo')}
            </button>
            <button type="button" disabled={!selectedVertex || !canEdit} onClick={() => selectedVertex && handlers.current.onVertexDelete(selectedVertex)}>
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
                onShow={(i) => i.lon !== undefined && setFocus({ lon: i.lon, lat: i.lat!, zoom: 17 })}
                testId="impact-preview"
              />
            )}
          </section>
        )}

        <div className="plan-save">
          <button type="button" className="primary" disabled={!canEdit || !dirty || errors.length > 0} onClick={() => setSaveOpen(true)} data-testid="save">
            {t('plan.save.button')}
          </button>
          <button type="button" disabled={!dirty} onClick={discard}>
            {t('plan.discard')}
          </button>
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
              <button type="button" role="tab" aria-selected={panel === 'history'} onClick={() => setPanel('history')} disabled={!active?.base.has(selected.id)}>
                {t('plan.history.title')}
              </button>
            </div>
            <h3 data-testid="selected-name">{String(selected.properties.name ?? selected.id)}</h3>
            {panel === 'attributes' || !active?.base.has(selected.id) ? (
              <AttributeForm
                layer={layer}
                feature={selected}
                units={units ?? ([] as Unit[])}
                disabled={!canEdit}
                onApply={(properties) => attempt(() => replaceProperties(features, selected.id, properties))}
              />
            ) : (
              <HistoryPanel
                layer={layer}
                id={selected.id}
                currentVersion={baseVersion(selected.id)}
                canRollback={canEdit && !dirty}
                onShowDiff={(entry) =>
                  setDiffOutlines(
                    entry
                      ? [
                          ...(isGeometryFeature(entry.before) ? [{ which: 'before' as const, geometry: entry.before.geometry }] : []),
                          ...(isGeometryFeature(entry.after) ? [{ which: 'after' as const, geometry: entry.after.geometry }] : []),
                        ]
                      : [],
                  )
                }
                onRolledBack={(result) => void afterSave(result, t('plan.notice.rolledBack', { issues: result.reassigned.length }))}
              />
            )}
          </section>
        )}
        {selectedIds.length > 1 && <p className="muted">{t('plan.selectedMany', { count: selectedIds.length })}</p>}
      </aside>
      {saveOpen && (
        <SaveDialog
          summary={summary}
          warnings={warnings}
          request={{ changes }}
          nameOf={nameOf}
          unitName={unitName}
          localCount={impact.result && !impact.pending ? impact.result.issues.length : null}
          saving={save.isPending}
          error={save.error && !(save.error instanceof ApiRequestError && save.error.status === 412) ? (save.error as Error).message : null}
          onSave={(note) => save.mutate(note)}
          onClose={() => setSaveOpen(false)}
        />
      )}
      {signIn && <SignInDialog onClose={() => setSignIn(false)} />}
    </div>
  );
}

function withoutVersion(properties: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = properties;
  return rest;
}

function isGeometryFeature(value: unknown): value is { geometry: EditableFeature['geometry'] } {
  return !!value && typeof value === 'object' && 'geometry' in value && !!(value as { geometry: unknown }).geometry;
}

/** The zone of `zones` containing a point (the first found). */
function findContaining(zones: readonly AreaFeature[] | undefined, point: Position): AreaFeature | null {
  for (const zone of zones ?? []) {
    for (const rings of partsOf(zone.geometry as AreaGeometry)) if (pointInPolygonRings(point[0], point[1], rings)) return zone;
  }
  return null;
}
