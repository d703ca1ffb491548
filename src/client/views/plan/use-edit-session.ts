import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EDIT_LAYERS, isZoneLayer, layerOfNewId, sessionLayers, type EditLayer } from '../../../core/edit/edit-layer';
import { commitChange, rebaseSession, sessionDiff, startSession, type EditSession } from '../../../core/edit/edit-session';
import type { EditableFeature, EditChange } from '../../../core/edit/edit-types';
import { featuresIn, startingFeatures, type LayeredFeatures } from '../../../core/edit/layered-features';
import { splitByLayer } from '../../../core/edit/zone-layers';
import { layerQueryOptions } from '../../api/layer';
import type { LayerCollection } from '../../map/map-data';
import type { MapData } from '../shared/use-map-data';
import { storedFeatures } from './stored-layers';

/** The stored layers a session started from (their identity tells fresh data from the same). */
export type FromLayers = Partial<Record<EditLayer, LayerCollection>>;

/** One layer's part of the session's edit, as the server's multi-layer save takes it. */
export interface LayerEdit {
  layer: EditLayer;
  upsert: EditableFeature[];
  remove: string[];
}

interface HeldSession {
  layer: EditLayer;
  from: FromLayers;
  layerOf: Map<string, EditLayer>;
  session: EditSession;
}

const NO_FEATURES: ReadonlyMap<string, EditableFeature> = new Map();
const NO_DIFF: { upsert: EditableFeature[]; remove: string[] } = { upsert: [], remove: [] };

const sameFrom = (a: FromLayers, b: FromLayers) => EDIT_LAYERS.every((l) => a[l] === b[l]);

function startFrom(from: FromLayers, layer: EditLayer): HeldSession {
  const stored: Partial<Record<EditLayer, readonly EditableFeature[]>> = {};
  for (const l of sessionLayers(layer)) {
    const collection = from[l];
    if (collection) stored[l] = storedFeatures(collection, l);
  }
  const { features, layerOf } = startingFeatures(stored, layer);
  return { layer, from, layerOf, session: startSession(features) };
}

/**
 * The editing session of /plan: the layer being edited and every edit made since the layers were
 * loaded (core/edit/edit-session: undo, redo, diff), over every zone layer at once when a zone
 * layer is edited. A session starts from the layers as loaded, and again when fresh data arrives
 * while it has no edits (or right after a save); edits are never dropped by a refetch, and leaving
 * the page with edits asks first.
 */
export function useEditSession(data: MapData) {
  const client = useQueryClient();
  const [layer, setLayer] = useState<EditLayer>('grids');
  const [held, setHeld] = useState<HeldSession | null>(null);
  const resetAfterSave = useRef(false);

  const { streets, communities, grids, roads } = data.geometry;
  const fromLayers = useMemo<FromLayers | null>(() => {
    const all: FromLayers = { streets, communities, grids, roads };
    const out: FromLayers = {};
    for (const l of sessionLayers(layer)) {
      if (!all[l]) return null;
      out[l] = all[l];
    }
    return out;
  }, [layer, streets, communities, grids, roads]);

  useEffect(() => {
    if (!fromLayers) return;
    setHeld((current) => {
      if (current && current.layer === layer && sameFrom(current.from, fromLayers)) return current;
      const dirty = current && current.layer === layer && current.session.done.length > 0;
      if (dirty && !resetAfterSave.current) return current;
      resetAfterSave.current = false;
      return startFrom(fromLayers, layer);
    });
  }, [layer, fromLayers]);

  const active = held && held.layer === layer ? held.session : null;
  // Every feature of the session's layers: vertex edits move a boundary in all of them.
  const features = active?.features ?? NO_FEATURES;
  // Zones made in this session are known by their ids' prefix (a split community's grids are grids).
  const layerOf = useCallback((id: string): EditLayer => held?.layerOf.get(id) ?? layerOfNewId(id) ?? layer, [held, layer]);
  const layered = useMemo<LayeredFeatures>(() => ({ features, layerOf }), [features, layerOf]);
  // The edited layer's features: what the planner picks, splits, merges and draws among.
  const layerFeatures = useMemo(() => featuresIn(layered, layer), [layered, layer]);
  const diff = useMemo(() => (active ? sessionDiff(active) : NO_DIFF), [active]);
  const dirty = diff.upsert.length + diff.remove.length > 0;
  // The diff by layer, as the server's multi-layer edit takes it.
  const changes = useMemo<LayerEdit[]>(() => (isZoneLayer(layer) ? splitByLayer(diff, layerOf) : dirty ? [{ layer, ...diff }] : []), [diff, dirty, layer, layerOf]);
  /** The session started from the layers loaded now (its check runs against the same district). */
  const current = held !== null && fromLayers !== null && sameFrom(held.from, fromLayers);

  // Leaving the page with unsaved edits asks first (the browser's own dialog).
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  const update = useCallback((next: (s: EditSession) => EditSession) => {
    setHeld((h) => (h ? { ...h, session: next(h.session) } : h));
  }, []);
  const commit = useCallback((change: EditChange) => update((s) => commitChange(s, change)), [update]);
  /** Back to the layers as loaded. */
  const discard = useCallback(() => update((s) => startSession(s.base.values())), [update]);
  /** The next fresh data starts a new session even though this one has edits (they were just saved). */
  const restartOnFreshData = useCallback(() => {
    resetAfterSave.current = true;
  }, []);
  /**
   * Loads the session's layers again from the server (someone else saved) and either lays this
   * session's edits over them (`reapply`: rebaseSession) or drops them.
   */
  const reload = useCallback(
    async (reapply: boolean) => {
      const from: FromLayers = {};
      for (const l of sessionLayers(layer)) from[l] = await client.fetchQuery({ ...layerQueryOptions(l), staleTime: 0 });
      const fresh = startFrom(from, layer);
      setHeld((h) => (h && h.layer === layer ? { ...fresh, session: reapply ? rebaseSession(h.session, fresh.session.base.values()) : fresh.session } : h));
    },
    [client, layer],
  );

  return { layer, setLayer, active, features, layerOf, layered, layerFeatures, diff, dirty, changes, current, update, commit, discard, restartOnFreshData, reload };
}

export type EditSessionState = ReturnType<typeof useEditSession>;
