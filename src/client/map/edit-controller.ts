import type { MapGeoJSONFeature, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { composeChanges } from '../../core/edit/edit-change';
import type { AreaFeature, EditableFeature, EditChange, Position, VertexRef } from '../../core/edit/edit-types';
import { snapPoint } from '../../core/edit/snap';
import { insertVertex, moveVertex } from '../../core/edit/vertex-edit';
import { polygonsOf } from '../../core/geometry/geometry-parts';
import { asOut, handlesOf, HANDLE_LAYERS, installEditLayers, pointOut, setEditSource, sketchOf } from './edit-layers';

/** What the pointer does: select (and drag vertices), draw a new zone, or draw a split line. */
export type EditMode = 'select' | 'draw' | 'split';

/** Everything the editor shows on the map, as the view holds it. */
export interface EditMapState {
  mode: EditMode;
  /** The edited layer's features as the session has them now. */
  features: ReadonlyMap<string, EditableFeature>;
  /** Whether the layer's shapes can be edited (zones) or only selected (roads). */
  editableGeometry: boolean;
  selectedIds: readonly string[];
  selectedVertex: VertexRef | null;
  snapping: boolean;
  /** Ids of features the session changed (outlined). */
  touchedIds: readonly string[];
  problems: readonly { featureId: string; severity: 'error' | 'warning'; location?: readonly [number, number] }[];
  /** Issue points the impact preview moves. */
  impact: readonly { id: string; lon: number; lat: number }[];
  /** History diff or conflict: outlines with `which` = before / after / theirs / mine. */
  outlines: readonly { which: 'before' | 'after' | 'theirs' | 'mine'; geometry: EditableFeature['geometry'] }[];
}

export interface EditCallbacks {
  /** A click on the map in select mode (not on a handle); `additive` with Shift; metres per pixel there. */
  onSelect(lonLat: Position, additive: boolean, metresPerPixel: number): void;
  /** A finished pointer edit (vertex moved, added, deleted). */
  onChange(change: EditChange<AreaFeature>): void;
  onVertexSelect(ref: VertexRef | null): void;
  /** Right-click on a vertex: delete it (in every neighbour sharing it). */
  onVertexDelete(ref: VertexRef): void;
  /** A sketch was finished (double-click or finishSketch): the outline or line drawn. */
  onSketchFinish(points: Position[], mode: 'draw' | 'split'): void;
  /** The number of points of the sketch changed (for hints). */
  onSketchChange?(points: number): void;
}

/** Pixels within which the pointer snaps to a neighbour's vertex or edge. */
export const SNAP_PIXELS = 10;
/** Vertex handles appear from this zoom on (farther out a grid's corners merge into a blot). */
export const HANDLE_MIN_ZOOM = 14;

/**
 * Drives the editing interaction on a maplibre map: vertex handles to drag (shared vertices move
 * in every neighbour; Alt moves one alone), midpoints to drag out a new vertex, right-click to
 * delete a vertex, click-by-click drawing of an outline or split line with snapping to
 * neighbouring vertices and edges, and the highlights of problems, impact and diffs. The view
 * owns the state and gives it with `update`; the map is attached whenever it is (re)built.
 */
export class EditController {
  private map: MapLibreMap | null = null;
  private state: EditMapState | null = null;
  private sketch: Position[] = [];
  private pointer: Position | null = null;
  private drag: { ref: VertexRef; from: Position; insert: EditChange<AreaFeature> | null; features: ReadonlyMap<string, AreaFeature>; preview: EditChange<AreaFeature> | null } | null = null;
  private frame = 0;

  constructor(private readonly callbacks: EditCallbacks) {}

  /** For DistrictMap's onMapReady: installs layers and handlers; returns the detach function. */
  attach = (map: MapLibreMap): (() => void) => {
    this.map = map;
    const removeLayers = installEditLayers(map);
    const handlers: [string, (e: MapMouseEvent) => void][] = [
      ['mousedown', this.onMouseDown],
      ['mousemove', this.onMouseMove],
      ['mouseup', this.onMouseUp],
      ['click', this.onClick],
      ['dblclick', this.onDoubleClick],
      ['contextmenu', this.onContextMenu],
      ['zoomend', this.onZoomEnd],
    ];
    for (const [type, handler] of handlers) map.on(type as 'click', handler);
    publishEditProbe(map);
    this.render();
    return () => {
      for (const [type, handler] of handlers) map.off(type as 'click', handler);
      cancelAnimationFrame(this.frame);
      removeLayers();
      if (this.map === map) this.map = null;
    };
  };

  /** New state from the view; redraws the editor's sources. */
  update(state: EditMapState): void {
    const modeChanged = this.state?.mode !== state.mode;
    this.state = state;
    if (modeChanged) this.cancelSketch();
    const map = this.map;
    if (map) {
      if (state.mode === 'select') map.doubleClickZoom.enable();
      else map.doubleClickZoom.disable();
      map.getCanvas().style.cursor = state.mode === 'select' ? '' : 'crosshair';
    }
    this.render();
  }

  /** Finishes the sketch (Enter): hands the points to the view. */
  finishSketch(): void {
    const mode = this.state?.mode;
    if (mode !== 'draw' && mode !== 'split') return;
    const points = this.sketch.slice();
    this.cancelSketch();
    if (points.length >= 2) this.callbacks.onSketchFinish(points, mode);
  }

  /** Drops the sketch (Escape). */
  cancelSketch(): void {
    this.sketch = [];
    this.pointer = null;
    this.callbacks.onSketchChange?.(0);
    this.renderSketch();
  }

  /** Removes the last sketch point (Backspace). */
  undoSketchPoint(): void {
    this.sketch.pop();
    this.callbacks.onSketchChange?.(this.sketch.length);
    this.renderSketch();
  }

  private snapped(lonLat: Position, skip?: Position): { point: Position; snap: boolean } {
    const map = this.map;
    const state = this.state;
    if (!map || !state?.snapping) return { point: lonLat, snap: false };
    const hit = snapPoint(lonLat, state.features.values(), { toleranceM: SNAP_PIXELS * this.metresPerPixel(lonLat[1]), skip });
    return hit ? { point: hit.point, snap: true } : { point: lonLat, snap: false };
  }

  /** Ground metres of one screen pixel at a latitude, at the current zoom (512 px tiles). */
  private metresPerPixel(lat: number): number {
    const zoom = this.map?.getZoom() ?? 15;
    return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
  }

  private handleAt(e: MapMouseEvent): MapGeoJSONFeature | null {
    const map = this.map;
    if (!map || !map.getLayer(HANDLE_LAYERS[0])) return null;
    const { x, y } = e.point;
    const found = map.queryRenderedFeatures(
      [
        [x - 6, y - 6],
        [x + 6, y + 6],
      ],
      { layers: HANDLE_LAYERS },
    );
    // Vertices before midpoints.
    return found.find((f) => f.properties.kind === 'vertex') ?? found[0] ?? null;
  }

  private onMouseDown = (e: MapMouseEvent) => {
    const state = this.state;
    if (!state || state.mode !== 'select' || !state.editableGeometry || e.originalEvent.button !== 0) return;
    const handle = this.handleAt(e);
    if (!handle) return;
    e.preventDefault();
    this.map?.dragPan.disable();
    const p = handle.properties as { kind: string; featureId: string; part: number; ring: number; index: number };
    const ref: VertexRef = { featureId: p.featureId, part: p.part, ring: p.ring, index: p.index };
    const features = state.features as ReadonlyMap<string, AreaFeature>;
    if (p.kind === 'vertex') {
      const ring = ringOf(features, ref);
      this.drag = { ref, from: [ring[ref.index][0], ring[ref.index][1]], insert: null, features, preview: null };
      this.callbacks.onVertexSelect(ref);
      return;
    }
    // A midpoint: a new vertex on that edge (in every neighbour sharing it), dragged from there.
    const ring = ringOf(features, ref);
    const a = ring[ref.index];
    const b = ring[ref.index + 1];
    const mid: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const insert = insertVertex(features, ref, mid, { shared: !e.originalEvent.altKey });
    const next = new Map(features);
    for (const f of insert.after) next.set(f.id, f);
    // No preview until the pointer moves: a click on a midpoint must not add a vertex (and leave
    // the session with an edit nobody meant).
    this.drag = { ref: { ...ref, index: ref.index + 1 }, from: mid, insert, features: next, preview: null };
  };

  private onMouseMove = (e: MapMouseEvent) => {
    const state = this.state;
    if (!state) return;
    const lonLat: Position = [e.lngLat.lng, e.lngLat.lat];
    if (this.drag) {
      const drag = this.drag;
      const { point, snap } = this.snapped(lonLat, drag.from);
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => {
        if (this.drag !== drag) return;
        const move = moveVertex(drag.features, drag.ref, point, { shared: !e.originalEvent.altKey });
        drag.preview = drag.insert ? composeChanges(drag.insert, move, 'insert-vertex') : move;
        this.renderPreview(drag.preview, snap ? point : null);
      });
      return;
    }
    if (state.mode === 'draw' || state.mode === 'split') {
      const { point, snap } = this.snapped(lonLat);
      this.pointer = point;
      this.renderSketch();
      this.renderSnap(snap ? point : null);
      return;
    }
    if (this.map && state.mode === 'select' && state.editableGeometry) {
      this.map.getCanvas().style.cursor = this.handleAt(e) ? 'move' : '';
    }
  };

  private onMouseUp = () => {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    cancelAnimationFrame(this.frame);
    this.map?.dragPan.enable();
    this.renderSnap(null);
    if (drag.preview && drag.preview.after.length > 0) this.callbacks.onChange(drag.preview);
    else this.render();
  };

  private onClick = (e: MapMouseEvent) => {
    const state = this.state;
    if (!state) return;
    const lonLat: Position = [e.lngLat.lng, e.lngLat.lat];
    if (state.mode === 'draw' || state.mode === 'split') {
      const { point } = this.snapped(lonLat);
      const last = this.sketch.at(-1);
      if (!last || last[0] !== point[0] || last[1] !== point[1]) this.sketch.push(point);
      this.callbacks.onSketchChange?.(this.sketch.length);
      this.renderSketch();
      return;
    }
    if (this.handleAt(e)) return; // a vertex was pressed: selected in mousedown
    this.callbacks.onSelect(lonLat, e.originalEvent.shiftKey, this.metresPerPixel(lonLat[1]));
  };

  private onDoubleClick = (e: MapMouseEvent) => {
    if (this.state?.mode === 'draw' || this.state?.mode === 'split') {
      e.preventDefault();
      this.finishSketch();
    }
  };

  private handlesShown = false;
  private onZoomEnd = () => {
    if (this.handlesShown !== this.handlesVisible()) this.render();
  };

  private handlesVisible(): boolean {
    return (this.map?.getZoom() ?? 0) >= HANDLE_MIN_ZOOM;
  }

  private onContextMenu = (e: MapMouseEvent) => {
    const state = this.state;
    if (!state || state.mode !== 'select' || !state.editableGeometry) return;
    const handle = this.handleAt(e);
    if (!handle || handle.properties.kind !== 'vertex') return;
    e.preventDefault();
    const p = handle.properties as { featureId: string; part: number; ring: number; index: number };
    this.callbacks.onVertexDelete({ featureId: p.featureId, part: p.part, ring: p.ring, index: p.index });
  };

  private render(): void {
    const map = this.map;
    const state = this.state;
    if (!map || !state || !map.getSource('edit-selected')) return;
    const selected = state.selectedIds.map((id) => state.features.get(id)).filter((f): f is EditableFeature => !!f);
    const touched = state.touchedIds.filter((id) => !state.selectedIds.includes(id)).map((id) => state.features.get(id)).filter((f): f is EditableFeature => !!f);
    setEditSource(map, 'edit-selected', [...touched.map((f) => asOut(f, { touched: true })), ...selected.map((f) => asOut(f, { touched: false }))]);
    this.handlesShown = this.handlesVisible();
    setEditSource(map, 'edit-handles', state.editableGeometry && selected.length === 1 && state.mode === 'select' && this.handlesShown ? handlesOf(selected[0], state.selectedVertex) : []);
    const problemFeatures = new Map<string, 'error' | 'warning'>();
    for (const p of state.problems) if (problemFeatures.get(p.featureId) !== 'error') problemFeatures.set(p.featureId, p.severity);
    setEditSource(
      map,
      'edit-problems',
      [...problemFeatures].flatMap(([id, severity]) => {
        const f = state.features.get(id);
        return f ? [asOut(f, { severity })] : [];
      }),
    );
    setEditSource(map, 'edit-problem-points', state.problems.filter((p) => p.location).map((p) => pointOut(p.location!, { severity: p.severity })));
    setEditSource(map, 'edit-impact', state.impact.map((i) => pointOut([i.lon, i.lat], { id: i.id })));
    setEditSource(map, 'edit-diff', state.outlines.map((o) => ({ type: 'Feature' as const, geometry: o.geometry, properties: { which: o.which } })));
    this.renderSketch();
  }

  private renderPreview(change: EditChange<AreaFeature>, snap: Position | null): void {
    const map = this.map;
    const state = this.state;
    if (!map || !state) return;
    const after = new Map(change.after.map((f) => [f.id, f]));
    const selected = state.selectedIds.map((id) => after.get(id) ?? state.features.get(id)).filter((f): f is EditableFeature => !!f);
    const others = change.after.filter((f) => !state.selectedIds.includes(f.id));
    setEditSource(map, 'edit-selected', [...others.map((f) => asOut(f, { touched: true })), ...selected.map((f) => asOut(f, { touched: false }))]);
    setEditSource(map, 'edit-handles', selected.length === 1 ? handlesOf(selected[0], this.drag?.ref ?? null) : []);
    this.renderSnap(snap);
  }

  private renderSketch(): void {
    const map = this.map;
    if (!map || !map.getSource('edit-sketch')) return;
    const mode = this.state?.mode;
    setEditSource(map, 'edit-sketch', mode === 'draw' || mode === 'split' ? sketchOf(this.sketch, this.pointer, mode === 'draw') : []);
  }

  private renderSnap(point: Position | null): void {
    if (this.map?.getSource('edit-snap')) setEditSource(this.map, 'edit-snap', point ? [pointOut(point)] : []);
  }
}

/**
 * For the e2e tests (like `__dutymapMap`): where a lon/lat is on the canvas, and a camera move
 * that waits for the map to settle, so a test can press the handles a person would.
 */
function publishEditProbe(map: MapLibreMap): void {
  if (typeof window === 'undefined') return;
  (window as unknown as { __dutymapEditor?: unknown }).__dutymapEditor = {
    project: (lon: number, lat: number) => {
      const p = map.project([lon, lat]);
      return [p.x, p.y];
    },
    fitBounds: (bbox: [number, number, number, number], padding = 80) =>
      new Promise<void>((resolve) => {
        map.once('idle', () => resolve());
        map.fitBounds(bbox, { padding, duration: 0 });
      }),
  };
}

function ringOf(features: ReadonlyMap<string, AreaFeature>, ref: VertexRef): readonly (readonly number[])[] {
  const f = features.get(ref.featureId)!;
  return polygonsOf(f.geometry)[ref.part][ref.ring];
}
