import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { LayerParam } from '../../core/api/api-schema';
import { choroplethLayerOf } from './choropleth';
import { countColourExpression, OVERDUE_COLOUR } from './count-classes';
import type { LayerVisibility } from './issue-points';

/**
 * The map's own offline style: a plain background and the project's layers, with labels drawn
 * from the browser's local fonts (no glyph server, no sprite, no tiles unless 天地图 is switched on).
 */

export type MapTheme = 'light' | 'dark';
export type ZoneLayer = 'streets' | 'communities' | 'grids';

/** Font stack for labels: CJK system fonts first; maplibre draws them locally with TinySDF. */
export const LABEL_FONTS = ['Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif'];
/** The CSS family maplibre uses for CJK characters in its default stack. */
export const LOCAL_IDEOGRAPH_FONTS = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Zoom from which single checkpoints replace the clusters. */
export const CHECKPOINT_CLUSTER_MAX_ZOOM = 13;

/**
 * The map's sources. The district is drawn from two GeoJSON sources, not one per layer: every
 * source is cut into its own tiles by maplibre's worker, each tile sent back, uploaded and clipped
 * on its own, and every tile that arrives repaints the map; at 1920×1080 the demo district covers
 * 12 tiles, so eight sources meant 96 tile jobs and a dozen repaints before the map was complete.
 * Zones first: streets, communities, grids and their label points are one source, drawn as soon as
 * they are there; roads and checkpoints the other. Features carry `kind` (what they are; the style
 * layers filter on it) and `key` (layer/id, the feature-state id: `promoteId: 'key'`).
 * A new layer of the district joins one of them: add its features in map-data.ts (zonesSource or
 * featuresSource) with a kind of its own and give its style layers a `kind` filter.
 */
export const SOURCE_IDS = {
  zones: 'zones',
  features: 'features',
  /** Checkpoint markers clustered by maplibre's worker (the `cluster` option) below CHECKPOINT_CLUSTER_MAX_ZOOM. */
  checkpointClusters: 'checkpoint-clusters',
} as const;

/** The source holding each map layer's features (the feature-state of a layer's features is there). */
export const LAYER_SOURCE: Record<LayerParam, typeof SOURCE_IDS.zones | typeof SOURCE_IDS.features> = {
  streets: SOURCE_IDS.zones,
  communities: SOURCE_IDS.zones,
  grids: SOURCE_IDS.zones,
  roads: SOURCE_IDS.features,
  checkpoints: SOURCE_IDS.features,
  excluded: SOURCE_IDS.zones,
  outline: SOURCE_IDS.zones,
};

/**
 * What a feature of the two sources is (its `kind` property): a layer's own features, a zone's label
 * point, a checkpoint's marker or its area (a market, a park).
 */
export const FEATURE_KINDS = {
  streets: 'streets',
  communities: 'communities',
  grids: 'grids',
  roads: 'roads',
  label: 'label',
  checkpoint: 'checkpoint',
  checkpointArea: 'checkpoint-area',
  excluded: 'excluded',
  outline: 'outline',
} as const;

/** Patterns drawn without a sprite: provisional zones (待细化) and excluded areas are hatched on every map. */
export const HATCH_IMAGES = {
  'hatch-provisional': { colour: [124, 58, 237], alpha: 150 },
  'hatch-excluded': { colour: [71, 85, 105], alpha: 170 },
} as const;
export type HatchImage = keyof typeof HATCH_IMAGES;

/**
 * An 8×8 RGBA tile of diagonal lines (1 px wide, every 4 px) in `colour`, transparent between:
 * fill-pattern repeats it seamlessly. Made in code so the style needs no sprite (works offline).
 */
export function hatchPattern(name: HatchImage): { width: number; height: number; data: Uint8Array } {
  const { colour, alpha } = HATCH_IMAGES[name];
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % 4 !== 0) continue;
      const i = (y * size + x) * 4;
      data.set([colour[0], colour[1], colour[2], alpha], i);
    }
  }
  return { width: size, height: size, data };
}

/**
 * The feature-state id (`key`) of a layer's feature: unique within its source. A checkpoint's
 * marker and area share it, so one state colours both.
 */
export function featureKey(layer: LayerParam, id: string): string {
  return `${layer}/${id}`;
}

/** The style layers of each switchable map layer, for visibility toggles and hit-testing. */
export const LAYER_GROUPS: Record<LayerParam, string[]> = {
  streets: ['streets-fill', 'streets-provisional', 'streets-line', 'streets-label'],
  communities: ['communities-fill', 'communities-provisional', 'communities-line', 'communities-label'],
  grids: ['grids-fill', 'grids-provisional', 'grids-line', 'grids-overdue', 'grids-label'],
  roads: ['roads-casing', 'roads-line', 'roads-label'],
  checkpoints: ['checkpoint-areas-fill', 'checkpoint-clusters-circle', 'checkpoint-clusters-count', 'checkpoints-circle', 'checkpoints-icon'],
  excluded: ['excluded-fill', 'excluded-line', 'excluded-label'],
  outline: ['outline-line'],
};

/**
 * Each style layer's visibility for the view's layer switches: a layer's fill (and hatch) only on
 * the choropleth layer, the finest zone layer that is on; the basemap's two layers with `basemap`.
 */
export function styleLayerVisibility(visible: LayerVisibility): Record<string, 'visible' | 'none'> {
  const choropleth = choroplethLayerOf(visible);
  const result: Record<string, 'visible' | 'none'> = {};
  for (const layer of Object.keys(LAYER_GROUPS) as LayerParam[]) {
    for (const id of LAYER_GROUPS[layer]) {
      let on = visible[layer];
      if ((id.endsWith('-fill') || id.endsWith('-provisional')) && layer !== 'checkpoints' && layer !== 'excluded') on = on && layer === choropleth;
      result[id] = on ? 'visible' : 'none';
    }
  }
  for (const id of ['tianditu-vec', 'tianditu-cva']) result[id] = visible.basemap ? 'visible' : 'none';
  return result;
}

/** Style layers a hover or click may land on, top first, with the map layer they belong to. */
export const INTERACTIVE_LAYERS: { styleLayer: string; layer: LayerParam }[] = [
  { styleLayer: 'checkpoints-circle', layer: 'checkpoints' },
  { styleLayer: 'roads-line', layer: 'roads' },
  { styleLayer: 'grids-fill', layer: 'grids' },
  { styleLayer: 'communities-fill', layer: 'communities' },
  { styleLayer: 'streets-fill', layer: 'streets' },
  { styleLayer: 'excluded-fill', layer: 'excluded' },
];

const PALETTE = {
  light: { background: '#eef1f4', outline: '#475569', label: '#1f2937', halo: '#ffffff', road: '#64748b', casing: '#ffffff' },
  dark: { background: '#08121f', outline: '#7dd3fc', label: '#e2e8f0', halo: '#0b1623', road: '#94a3b8', casing: '#0f172a' },
} as const;

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** Tianditu (天地图) raster tiles (vector map + Chinese annotation), CGCS2000 ≈ WGS-84, with the district's key. */
function tiandituSources(key: string): StyleSpecification['sources'] {
  const tiles = (layer: string) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      (n) =>
        `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
    );
  return {
    'tianditu-vec': { type: 'raster', tiles: tiles('vec'), tileSize: 256, attribution: '天地图' },
    'tianditu-cva': { type: 'raster', tiles: tiles('cva'), tileSize: 256 },
  };
}

/** Options of the style: colours, which zone layer carries the choropleth, optional basemap. */
export interface StyleOptions {
  theme: MapTheme;
  tiandituKey?: string | null;
}

/**
 * The complete style with empty geometry sources; geometry arrives with setData (once, and again
 * only after a zone edit), counts only ever as feature-state.
 */
export function buildStyle({ theme, tiandituKey }: StyleOptions): StyleSpecification {
  const c = PALETTE[theme];
  const sources: StyleSpecification['sources'] = {
    // One label point per zone is in the zones source, inside the zone, so that a zone cut by tile
    // edges is still labelled once.
    [SOURCE_IDS.zones]: { type: 'geojson', data: EMPTY, promoteId: 'key' },
    [SOURCE_IDS.features]: { type: 'geojson', data: EMPTY, promoteId: 'key', tolerance: 0.5 },
    // Clusters carry no counts: no promoteId. Single markers below the cluster zoom are small dots.
    [SOURCE_IDS.checkpointClusters]: {
      type: 'geojson',
      data: EMPTY,
      cluster: true,
      clusterRadius: 48,
      clusterMaxZoom: CHECKPOINT_CLUSTER_MAX_ZOOM - 1,
      clusterMinPoints: 2,
    },
    ...(tiandituKey ? tiandituSources(tiandituKey) : {}),
  };
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': c.background } }];
  if (tiandituKey) {
    layers.push(
      { id: 'tianditu-vec', type: 'raster', source: 'tianditu-vec', layout: { visibility: 'none' } },
      { id: 'tianditu-cva', type: 'raster', source: 'tianditu-cva', layout: { visibility: 'none' } },
    );
  }
  layers.push(
    ...zoneFills(theme === 'dark' ? 0.8 : 0.62),
    ...provisionalHatches(),
    ...excludedLayers(c),
    ...checkpointAreaLayers(),
    ...zoneLines(c),
    ...outlineLayers(c),
    ...roadLayers(c),
    ...checkpointLayers(c),
    ...labelLayers(c),
  );
  return { version: 8, name: 'dutymap offline', sources, layers };
}

/** A style layer's filter: features of `kind` (and `extra`, when given). */
const ofKind = (kind: string, extra?: unknown[]) => (extra ? ['all', ['==', ['get', 'kind'], kind], extra] : ['==', ['get', 'kind'], kind]) as never;

const fillColour = (layer: LayerParam) => countColourExpression(layer) as never;
const hoverOpacity = (base: number) => ['case', ['boolean', ['feature-state', 'hover'], false], Math.min(1, base + 0.2), base] as never;

/**
 * No antialiased outline around a fill: maplibre draws it as a second pass over every polygon edge
 * with a program of its own (one for plain fills, one for patterns), and every zone's and excluded
 * area's edge is drawn anyway by its line layer. Two programs fewer to compile at first paint and
 * half the fill draw calls of each frame; a fill's own edge is not visible under its line.
 */
const NO_FILL_OUTLINE = { 'fill-antialias': false } as const;

function zoneFills(opacity: number): LayerSpecification[] {
  return (['streets', 'communities', 'grids'] as const).map((layer) => ({
    id: `${layer}-fill`,
    type: 'fill',
    source: SOURCE_IDS.zones,
    filter: ofKind(layer),
    paint: { 'fill-color': fillColour(layer), 'fill-opacity': hoverOpacity(opacity), ...NO_FILL_OUTLINE },
  }));
}

/** Provisional zones (made by the import from their parent, 待细化) hatched over their fill. */
function provisionalHatches(): LayerSpecification[] {
  return (['streets', 'communities', 'grids'] as const).map((layer) => ({
    id: `${layer}-provisional`,
    type: 'fill',
    source: SOURCE_IDS.zones,
    filter: ofKind(layer, ['==', ['get', 'provisional'], true]),
    // The excluded areas' paint (a hover opacity, here the same either way): one pattern program for both.
    paint: { 'fill-pattern': 'hatch-provisional', 'fill-opacity': hoverOpacity(1), ...NO_FILL_OUTLINE },
  }));
}

/** Excluded areas (rivers, enclaves, land others manage): hatched grey, dashed edge, named. */
function excludedLayers(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  return [
    { id: 'excluded-fill', type: 'fill', source: SOURCE_IDS.zones, filter: ofKind(FEATURE_KINDS.excluded), paint: { 'fill-pattern': 'hatch-excluded', 'fill-opacity': hoverOpacity(0.9), ...NO_FILL_OUTLINE } },
    {
      id: 'excluded-line',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind(FEATURE_KINDS.excluded),
      paint: { ...linePaint({ colour: '#475569', width: 1.5 }), 'line-dasharray': [2, 2] },
    },
    {
      id: 'excluded-label',
      type: 'symbol',
      source: SOURCE_IDS.zones,
      filter: ofKind(FEATURE_KINDS.excluded),
      minzoom: 11,
      layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONTS, 'text-size': 12, 'text-max-width': 8 },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
  ];
}

/** The district's outline: a thick dashed line around everything. */
function outlineLayers(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  return [
    {
      id: 'outline-line',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind(FEATURE_KINDS.outline),
      paint: { ...linePaint({ colour: c.outline, width: [[9, 1.5], [15, 4]], opacity: 0.8 }), 'line-dasharray': [4, 2] },
    },
  ];
}

/** A line width: one number, widths by zoom ([zoom, width] stops, linear), or an expression of zoom and data. */
type LineWidth = number | [number, number][] | unknown[];

/**
 * The paint of a line layer, written so that every line layer gets the same shader. maplibre
 * compiles one program per combination of which paint values are constant, per zoom, per feature
 * or per zoom and feature; our six line layers had four combinations, and in software WebGL each
 * program costs tens to hundreds of milliseconds of the first paint. Here the colour is always a
 * per-feature value, width and gap width always of zoom and feature, the opacity always constant.
 * A value that is the same for every feature reads an absent property first (`sameForAll`),
 * which maplibre cannot tell from a real per-feature value.
 */
function linePaint(options: { colour: string | unknown[]; width: LineWidth; gapWidth?: LineWidth; opacity?: number }) {
  const sameForAll = (value: number | string) => ['coalesce', ['get', 'sameForAllFeatures'], value];
  const colour = typeof options.colour === 'string' ? ['to-color', sameForAll(options.colour)] : options.colour;
  const width = (value: LineWidth): unknown[] => {
    if (typeof value === 'number') return width([[0, value], [24, value]]);
    if (typeof value[0] === 'string') {
      // Already of zoom and data (roads), or of data only (a feature-state): make it of both.
      return value[0] === 'interpolate' ? value : ['interpolate', ['linear'], ['zoom'], 0, value, 24, value];
    }
    return ['interpolate', ['linear'], ['zoom'], ...(value as [number, number][]).flatMap(([zoom, w]) => [zoom, ['to-number', sameForAll(w)]])];
  };
  return {
    'line-color': colour as never,
    'line-width': width(options.width) as never,
    'line-gap-width': width(options.gapWidth ?? 0) as never,
    'line-opacity': options.opacity ?? 1,
  };
}

function zoneLines(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  return [
    {
      id: 'grids-line',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind('grids'),
      minzoom: 11,
      paint: linePaint({ colour: c.outline, opacity: 0.45, width: [[11, 0.3], [15, 1]] }),
    },
    {
      // Grids with overdue issues get a dark red inner edge: colour says how many, the edge says late.
      id: 'grids-overdue',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind('grids'),
      paint: linePaint({ colour: OVERDUE_COLOUR, width: ['case', ['>', ['coalesce', ['feature-state', 'overdue'], 0], 0], 2, 0] }),
    },
    {
      id: 'communities-line',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind('communities'),
      paint: linePaint({ colour: c.outline, opacity: 0.7, width: [[10, 0.6], [15, 1.8]] }),
    },
    {
      id: 'streets-line',
      type: 'line',
      source: SOURCE_IDS.zones,
      filter: ofKind('streets'),
      paint: linePaint({ colour: c.outline, width: [[9, 1.2], [15, 3.5]] }),
    },
  ];
}

const ROAD_WIDTH = [
  'interpolate', ['exponential', 1.6], ['zoom'],
  10, ['match', ['get', 'roadClass'], 'arterial', 1.6, 'secondary', 1, 0.4],
  14, ['match', ['get', 'roadClass'], 'arterial', 5, 'secondary', 3.2, 1.6],
  17, ['match', ['get', 'roadClass'], 'arterial', 14, 'secondary', 9, 5],
];

function roadLayers(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  return [
    {
      id: 'roads-casing',
      type: 'line',
      source: SOURCE_IDS.features,
      filter: ofKind('roads'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: linePaint({ colour: c.casing, opacity: 0.8, gapWidth: ROAD_WIDTH, width: 1 }),
    },
    {
      id: 'roads-line',
      type: 'line',
      source: SOURCE_IDS.features,
      filter: ofKind('roads'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      // Roads with no open issue stay grey so that the ones needing attention stand out.
      paint: linePaint({ colour: ['case', ['>', ['coalesce', ['feature-state', 'open'], 0], 0], fillColour('roads'), c.road], width: ROAD_WIDTH }),
    },
  ];
}

function checkpointAreaLayers(): LayerSpecification[] {
  return [
    {
      id: 'checkpoint-areas-fill',
      type: 'fill',
      source: SOURCE_IDS.features,
      filter: ofKind(FEATURE_KINDS.checkpointArea),
      minzoom: CHECKPOINT_CLUSTER_MAX_ZOOM,
      paint: { 'fill-color': fillColour('checkpoints'), 'fill-opacity': 0.35, 'fill-outline-color': '#1e3a8a' },
    },
  ];
}

/** Checkpoint state colour: none → green, open → amber, overdue → red. */
const CHECKPOINT_STATE_COLOUR = [
  'case',
  ['>', ['coalesce', ['feature-state', 'overdue'], 0], 0], '#dc2626',
  ['>', ['coalesce', ['feature-state', 'open'], 0], 0], '#f59e0b',
  '#16a34a',
] as never;

function checkpointLayers(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  return [
    {
      id: 'checkpoint-clusters-circle',
      type: 'circle',
      source: SOURCE_IDS.checkpointClusters,
      maxzoom: CHECKPOINT_CLUSTER_MAX_ZOOM,
      paint: {
        'circle-color': '#1d4ed8',
        'circle-opacity': 0.85,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-radius': ['step', ['coalesce', ['get', 'point_count'], 1], 5, 2, 11, 10, 14, 25, 18],
      },
    },
    {
      id: 'checkpoint-clusters-count',
      type: 'symbol',
      source: SOURCE_IDS.checkpointClusters,
      maxzoom: CHECKPOINT_CLUSTER_MAX_ZOOM,
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-font': LABEL_FONTS, 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: 'checkpoints-circle',
      type: 'circle',
      source: SOURCE_IDS.features,
      filter: ofKind(FEATURE_KINDS.checkpoint),
      minzoom: CHECKPOINT_CLUSTER_MAX_ZOOM,
      paint: {
        'circle-color': CHECKPOINT_STATE_COLOUR,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 7, 17, 12],
        'circle-stroke-color': c.casing,
        'circle-stroke-width': ['case', ['boolean', ['feature-state', 'hover'], false], 3, 1.5],
      },
    },
    {
      // The category as one character in the marker (医 hospital, 学 school…): an icon that needs no sprite.
      id: 'checkpoints-icon',
      type: 'symbol',
      source: SOURCE_IDS.features,
      filter: ofKind(FEATURE_KINDS.checkpoint),
      minzoom: CHECKPOINT_CLUSTER_MAX_ZOOM,
      layout: {
        'text-field': ['get', 'glyph'],
        'text-font': LABEL_FONTS,
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 9, 17, 14],
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    },
  ];
}

function labelLayers(c: (typeof PALETTE)[MapTheme]): LayerSpecification[] {
  const label = (id: string, layer: string, minzoom: number, maxzoom: number, size: number[]): LayerSpecification => ({
    id,
    type: 'symbol',
    source: SOURCE_IDS.zones,
    filter: ofKind(FEATURE_KINDS.label, ['==', ['get', 'layer'], layer]),
    minzoom,
    maxzoom,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONTS,
      'text-size': ['interpolate', ['linear'], ['zoom'], minzoom, size[0], maxzoom, size[1]],
      'text-max-width': 8,
      'text-padding': 4,
    },
    paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
  });
  return [
    {
      id: 'roads-label',
      type: 'symbol',
      source: SOURCE_IDS.features,
      minzoom: 14,
      filter: ofKind('roads', ['!=', ['get', 'roadClass'], 'alley']),
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONTS, 'text-size': 12 },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
    label('grids-label', 'grids', 14.5, 18, [10, 13]),
    label('communities-label', 'communities', 12.5, 15.5, [11, 14]),
    label('streets-label', 'streets', 8, 13.5, [13, 17]),
  ];
}
