import { Map as MapLibreMap, type LayerSpecification, type StyleSpecification } from 'maplibre-gl';
import type { CountsResponse, LayerParam } from '../../core/api/api-schema';
import type { BBox } from '../../core/geometry/geometry-schema';
import { applyCountsDiff } from './apply-counts';
import type { LayerVisibility } from './issue-points';
import { labelCharacters, labelsLaidOutAt, type NameLabelLayer } from './label-glyphs';
import { initialSourceData, withSourceData, type LayerCollection } from './map-data';
import { buildStyle, CHECKPOINT_CLUSTER_MAX_ZOOM, featureKey, HATCH_IMAGES, hatchPattern, type HatchImage, LABEL_FONTS, LAYER_SOURCE, LOCAL_IDEOGRAPH_FONTS, styleLayerVisibility, type MapTheme } from './map-style';
import { perfMark } from '../perf-mark';

type Counts = CountsResponse['counts'];

/** What decides how a district map starts: the same setup gives the same map. */
export interface MapSetup {
  bounds: BBox;
  theme: MapTheme;
  tiandituKey: string | null;
  visible: LayerVisibility;
}

/** A key equal for two setups exactly when a map made with one is the map the other would make. */
export function mapSetupKey(setup: MapSetup): string {
  return JSON.stringify([setup.bounds, setup.theme, setup.tiandituKey ?? null, styleLayerVisibility(setup.visible)]);
}

/** The padding around the district's bbox when a map first fits it (px). */
const FIT_PADDING = 24;

/**
 * Creates the district's maplibre map in `container` with the geometry already in its style's
 * sources (maplibre's worker cuts each source once, from its first frame) and the layers switched
 * as `setup.visible` says. The one place the map's options are written: DistrictMap and the early
 * map (below) make the same map.
 */
export function createMapGl(container: HTMLElement, setup: MapSetup, geometry: Partial<Record<LayerParam, LayerCollection>>): { map: MapLibreMap; applied: Partial<Record<LayerParam, LayerCollection>>; sources: string[] } {
  const initial = initialSourceData(geometry);
  const map = new MapLibreMap({
    container,
    // Built with the layers already switched as the view wants them: a layout change after
    // load (visibility is layout) makes maplibre's worker cut every tile of the source again.
    style: withSourceData(withVisibility(buildStyle({ theme: setup.theme, tiandituKey: setup.tiandituKey }), styleLayerVisibility(setup.visible)), initial.data),
    bounds: setup.bounds as [number, number, number, number],
    fitBoundsOptions: { padding: FIT_PADDING },
    localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS,
    // Labels appear at once instead of fading in over 300 ms: every frame of a fade is a whole
    // repaint, which costs a phone's battery and a software-rendered wall display its first
    // paint (a third of the frames before the map was idle were label fades).
    fadeDuration: 0,
    attributionControl: { compact: true, customAttribution: '创城责任一张图' },
    dragRotate: false,
    pitchWithRotate: false,
    maxZoom: 19,
  });
  perfMark('map-created');
  // The hatch patterns are made in code, when the style first asks for them (and again after a
  // context restore). A resolver answers before maplibre replies to its worker; an image added on
  // `styleimagemissing` came after the tiles were laid out without it (a console warning, and the
  // source's tiles reloaded once it arrived).
  map.setMissingStyleImageResolver((id) => {
    if (id in HATCH_IMAGES && !map.hasImage(id)) map.addImage(id, hatchPattern(id as HatchImage));
  });
  map.once('load', () => perfMark('map-load'));
  map.once('render', () => perfMark('first-frame'));
  return { map, applied: initial.applied, sources: Object.keys(initial.data) };
}

/**
 * Applies the counts of `counts` that differ from `applied` as feature-state (feature keys as
 * map-style.ts makes them) and records them in `applied`; returns the features updated.
 */
export function applyLayerCounts(map: MapLibreMap, counts: Partial<Record<LayerParam, Counts>>, applied: Partial<Record<LayerParam, Counts | null>>): number {
  let updated = 0;
  for (const layer of Object.keys(LAYER_SOURCE) as LayerParam[]) {
    const next = counts[layer];
    const previous = applied[layer] ?? null;
    if (!next || next === previous) continue;
    const target = { setFeatureState: ({ id }: { id: string | number }, state: Record<string, unknown>) => map.setFeatureState({ source: LAYER_SOURCE[layer], id: featureKey(layer, String(id)) }, state) };
    updated += applyCountsDiff(target, layer, previous, next);
    applied[layer] = next;
  }
  return updated;
}

/**
 * A map made before its view has rendered (route-prefetch.ts → startEarlyMap): maplibre starts its
 * style, its worker cuts the tiles and SwiftShader links the programs while React renders the view;
 * DistrictMap adopts it when it mounts with the same setup (takeEarlyMap).
 */
export interface EarlyMap {
  key: string;
  map: MapLibreMap;
  /** The element the map was made in (its container), moved into DistrictMap's on adoption. */
  container: HTMLDivElement;
  /** The hidden layout around it, removed by DistrictMap once it has moved the container. */
  holder: HTMLElement;
  /** The layers in the map's sources: the same responses the view's queries parse. */
  applied: Partial<Record<LayerParam, LayerCollection>>;
  sources: string[];
  /** The counts applied as feature-state so far (raw responses, equal in value to the parsed ones). */
  appliedCounts: Partial<Record<LayerParam, Counts | null>>;
  /** Whether 'style.load' has fired (what DistrictMap would do then is due at once). */
  styleLoaded: boolean;
  /** performance.now() of its first 'idle' (every layer drawn, on screen); null before. */
  readyAt: number | null;
  /** Stops what the early map does on its own (fitting the district when its area resizes). */
  release: () => void;
}

/** The inputs of an early map: the prefetched responses' JSON, before any parse by the contract. */
export interface EarlyMapInputs {
  /** The view's route: its layout decides the map's size until the view takes the map. */
  route: 'lookup' | 'plan';
  district: Promise<unknown> | undefined;
  layers: [LayerParam, Promise<unknown> | undefined][];
  counts: [LayerParam, Promise<unknown> | undefined][];
  theme: MapTheme;
  tiandituKey: string | null;
  visible: LayerVisibility;
}

/** An early map not taken by then is removed (the view failed, or went elsewhere). */
const EARLY_MAP_TTL_MS = 60_000;

let early: EarlyMap | null = null;
let earlyStarted = false;

/**
 * Starts the map of a map route before its view has rendered: once the district and every layer
 * have arrived (the shell's prefetched responses, read as JSON), the map is made in a copy of the
 * view's layout (the same CSS classes, so the same size and place) over the shell's main area,
 * where it is seen while React renders the view, and DistrictMap takes it (takeEarlyMap). Does nothing more than once per page, when a
 * response failed or is not a FeatureCollection (the view's queries show the error), or when
 * there is no DOM. One map either way: DistrictMap makes its own only when it gets none.
 */
export async function startEarlyMap(inputs: EarlyMapInputs): Promise<void> {
  if (earlyStarted || typeof document === 'undefined') return;
  earlyStarted = true;
  const [district, ...layers] = await Promise.all([inputs.district, ...inputs.layers.map(([, body]) => body)].map((body) => (body ?? Promise.resolve(null)).catch(() => null)));
  const bounds = (district as { bbox?: unknown } | null)?.bbox;
  if (!Array.isArray(bounds) || bounds.length !== 4 || !bounds.every((n) => typeof n === 'number')) return;
  const geometry: Partial<Record<LayerParam, LayerCollection>> = {};
  for (const [i, [layer]] of inputs.layers.entries()) {
    const body = layers[i] as Partial<LayerCollection> | null;
    if (body?.type !== 'FeatureCollection' || !Array.isArray(body.features)) return;
    geometry[layer] = body as LayerCollection;
  }
  const main = await shellMain();
  if (!main) return;
  const setup: MapSetup = { bounds: bounds as BBox, theme: inputs.theme, tiandituKey: inputs.tiandituKey, visible: inputs.visible };
  const { holder, container } = earlyLayout(inputs.route, main);
  const made = createMapGl(container, setup, geometry);
  const state: EarlyMap = { key: mapSetupKey(setup), map: made.map, container, holder, applied: made.applied, sources: made.sources, appliedCounts: {}, styleLoaded: false, readyAt: null, release: () => undefined };
  early = state;
  const counts: Partial<Record<LayerParam, Counts>> = {};
  const applyArrived = () => {
    if (early === state && state.styleLoaded) applyLayerCounts(state.map, counts, state.appliedCounts);
  };
  for (const [layer, body] of inputs.counts) {
    void body
      ?.then((value) => {
        const c = (value as { counts?: unknown } | null)?.counts;
        if (c && typeof c === 'object') counts[layer] = c as Counts;
        applyArrived();
      })
      .catch(() => undefined);
  }
  state.map.once('style.load', () => {
    perfMark('style-load');
    state.styleLoaded = true;
    prewarmLabelGlyphs(state.map, state.applied);
    applyArrived();
    // Every layer is in the style: the first 'idle' is the map complete, on screen.
    state.map.once('idle', () => {
      state.readyAt = performance.now();
      perfMark('map-ready');
    });
  });
  // The shell's header can change height while the view loads (the session's controls): the map
  // keeps the district fitted, as a map made at that size would be.
  let fitted = [container.clientWidth, container.clientHeight];
  const observer = new ResizeObserver(() => {
    const size = [container.clientWidth, container.clientHeight];
    if (size[0] === fitted[0] && size[1] === fitted[1]) return;
    fitted = size;
    state.map.resize();
    refitBounds(state.map, setup.bounds);
  });
  observer.observe(container);
  state.release = () => observer.disconnect();
  setTimeout(() => {
    if (early === state) discardEarlyMap();
  }, EARLY_MAP_TTL_MS);
}

/**
 * The early map if it was made with `key`'s setup (then it is DistrictMap's from now on: it moves
 * the container into its own element, removes the hidden layout, and removes the map when it
 * goes); otherwise null, and an early map made for another setup is removed.
 */
export function takeEarlyMap(key: string): EarlyMap | null {
  const taken = early;
  if (!taken) return null;
  if (taken.key !== key) {
    discardEarlyMap();
    return null;
  }
  early = null;
  taken.release();
  return taken;
}

function discardEarlyMap(): void {
  early?.release();
  early?.map.remove();
  early?.holder.remove();
  early = null;
}

/** The shell's main area (app.tsx), once React has committed it. */
function shellMain(): Promise<HTMLElement | null> {
  const deadline = performance.now() + EARLY_MAP_TTL_MS;
  return new Promise((resolve) => {
    const look = () => {
      const main = document.querySelector<HTMLElement>('main.app-main');
      if (main || performance.now() > deadline) resolve(main);
      else requestAnimationFrame(look);
    };
    look();
  });
}

/**
 * The route's layout over the shell's main area (its fallback "loading" below), with only the map
 * shown, where the view puts the map: the classes of lookup-view.tsx / plan-editor.tsx and
 * map-workspace.tsx, so that styles.css gives the map the size and place it will have
 * (`.early-map-layout`). DistrictMap checks the size when it takes the map and fits the district
 * again if the real layout differs.
 */
function earlyLayout(route: EarlyMapInputs['route'], main: HTMLElement): { holder: HTMLElement; container: HTMLDivElement } {
  const holder = document.createElement('div');
  holder.className = 'early-map-layout';
  const view = document.createElement('div');
  view.className = route === 'lookup' ? 'lookup-view' : 'plan-view plan-editor';
  const workspace = document.createElement('div');
  workspace.className = `map-workspace ${route === 'lookup' ? 'lookup-map' : 'plan-map'}`;
  const districtMap = document.createElement('div');
  districtMap.className = 'district-map';
  const canvasBox = document.createElement('div');
  canvasBox.className = 'district-map-canvas';
  const container = createMapContainer();
  canvasBox.append(container);
  districtMap.append(canvasBox);
  workspace.append(districtMap);
  const side = document.createElement(route === 'lookup' ? 'section' : 'aside');
  side.className = route === 'lookup' ? 'lookup-panel' : 'plan-side side-panel';
  view.append(workspace, side);
  holder.append(view);
  main.append(holder);
  return { holder, container };
}

/** The element maplibre draws in (inside DistrictMap's `.district-map-canvas`). */
export function createMapContainer(): HTMLDivElement {
  const container = document.createElement('div');
  container.className = 'district-map-gl';
  return container;
}

/** The camera that fits `bounds` in the map's current size, as the map's creation does. */
export function refitBounds(map: MapLibreMap, bounds: BBox): void {
  const camera = map.cameraForBounds(bounds as [number, number, number, number], { padding: FIT_PADDING });
  if (camera) map.jumpTo(camera);
}

/** The style with each layer's `layout.visibility` set from `visibility` (layers not named keep theirs). */
function withVisibility(style: StyleSpecification, visibility: Record<string, 'visible' | 'none'>): StyleSpecification {
  return {
    ...style,
    layers: style.layers.map((layer) => (layer.id in visibility && layer.type !== 'background' ? ({ ...layer, layout: { ...layer.layout, visibility: visibility[layer.id] } } as LayerSpecification) : layer)),
  };
}

/** The symbol layers that show a zone's or excluded area's `name`, with the layer their names come from. */
const NAME_LABELS = { 'streets-label': 'streets', 'communities-label': 'communities', 'grids-label': 'grids', 'excluded-label': 'excluded' } as const;

/**
 * Draws the glyphs of the labels the map shows at its current zoom before maplibre's worker asks
 * for them (label-glyphs.ts): the worker is still cutting the new tiles, the main thread is free,
 * and the glyphs go into the map's own glyph cache, where the worker's request finds them.
 */
export function prewarmLabelGlyphs(map: MapLibreMap, applied: Partial<Record<LayerParam, LayerCollection>>): void {
  const zoom = map.getZoom();
  const shown = (id: string) => !!map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none';
  const layers: NameLabelLayer[] = Object.entries(NAME_LABELS).map(([id, layer]) => {
    const style = map.getLayer(id);
    return { minzoom: style?.minzoom ?? 0, maxzoom: style?.maxzoom ?? 24, visible: shown(id), collection: applied[layer] };
  });
  const clusterDigits = applied.checkpoints && shown('checkpoint-clusters-count') && labelsLaidOutAt(zoom, 0, CHECKPOINT_CLUSTER_MAX_ZOOM) ? '0123456789' : '';
  const chars = labelCharacters(zoom, layers, clusterDigits);
  if (!chars.length) return;
  // The key maplibre's worker asks with: the layer's text-font stack joined by commas.
  map.style.glyphManager.getGlyphs({ [LABEL_FONTS.join(',')]: { default: chars } }).catch(() => undefined);
}
