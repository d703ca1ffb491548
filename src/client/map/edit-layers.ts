import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { EditableFeature, Position, VertexRef } from '../../core/edit/edit-types';
import { polygonsOf } from '../../core/geometry/geometry-parts';

/**
 * The zone editor's map layers: its own GeoJSON sources drawn above the district's layers —
 * problem highlights, history diff, conflict outlines, the impact preview's issue points, the
 * selection, the sketch being drawn, vertex handles and the snap indicator. Nothing here knows
 * React; edit-controller.ts feeds it.
 */

export const EDIT_SOURCES = ['edit-problems', 'edit-problem-points', 'edit-diff', 'edit-impact', 'edit-selected', 'edit-sketch', 'edit-handles', 'edit-snap'] as const;
export type EditSourceId = (typeof EDIT_SOURCES)[number];

/** Handle layers that a pointer can grab. */
export const HANDLE_LAYERS = ['edit-handles-vertex', 'edit-handles-mid'];

const LAYERS: LayerSpecification[] = [
  { id: 'edit-problems-fill', type: 'fill', source: 'edit-problems', paint: { 'fill-color': ['match', ['get', 'severity'], 'error', '#dc2626', '#f59e0b'], 'fill-opacity': 0.3 } },
  { id: 'edit-problems-line', type: 'line', source: 'edit-problems', paint: { 'line-color': ['match', ['get', 'severity'], 'error', '#b91c1c', '#b45309'], 'line-width': 2 } },
  {
    id: 'edit-diff-line',
    type: 'line',
    source: 'edit-diff',
    paint: {
      'line-color': ['match', ['get', 'which'], 'before', '#dc2626', 'theirs', '#7c3aed', 'mine', '#2563eb', '#16a34a'],
      'line-width': 3,
      'line-dasharray': ['match', ['get', 'which'], 'before', ['literal', [2, 2]], 'mine', ['literal', [1, 1.5]], ['literal', [1, 0]]],
    },
  },
  { id: 'edit-selected-fill', type: 'fill', source: 'edit-selected', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.12 } },
  { id: 'edit-selected-line', type: 'line', source: 'edit-selected', paint: { 'line-color': ['case', ['get', 'touched'], '#0891b2', '#2563eb'], 'line-width': ['case', ['get', 'touched'], 2, 3] } },
  { id: 'edit-problem-points', type: 'circle', source: 'edit-problem-points', paint: { 'circle-radius': 7, 'circle-color': '#dc2626', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
  {
    id: 'edit-impact-circle',
    type: 'circle',
    source: 'edit-impact',
    paint: { 'circle-radius': 6, 'circle-color': '#f97316', 'circle-stroke-color': '#7c2d12', 'circle-stroke-width': 2 },
  },
  { id: 'edit-sketch-line', type: 'line', source: 'edit-sketch', paint: { 'line-color': '#db2777', 'line-width': 2.5, 'line-dasharray': [2, 1] } },
  { id: 'edit-sketch-points', type: 'circle', source: 'edit-sketch', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#db2777' } },
  {
    id: 'edit-handles-mid',
    type: 'circle',
    source: 'edit-handles',
    filter: ['==', ['get', 'kind'], 'mid'],
    paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-opacity': 0.8, 'circle-stroke-color': '#2563eb', 'circle-stroke-width': 1 },
  },
  {
    id: 'edit-handles-vertex',
    type: 'circle',
    source: 'edit-handles',
    filter: ['==', ['get', 'kind'], 'vertex'],
    paint: {
      'circle-radius': 5.5,
      'circle-color': ['case', ['get', 'selected'], '#dc2626', '#ffffff'],
      'circle-stroke-color': '#1d4ed8',
      'circle-stroke-width': 2,
    },
  },
  { id: 'edit-snap-ring', type: 'circle', source: 'edit-snap', paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#d946ef', 'circle-stroke-width': 3 } },
];

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** Adds the editor's sources and layers (idempotent); returns a function that removes them. */
export function installEditLayers(map: MapLibreMap): () => void {
  for (const id of EDIT_SOURCES) if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: EMPTY });
  for (const layer of LAYERS) if (!map.getLayer(layer.id)) map.addLayer(layer);
  return () => {
    if (!map.getStyle()) return;
    for (const layer of LAYERS) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
    for (const id of EDIT_SOURCES) if (map.getSource(id)) map.removeSource(id);
  };
}

type Geo = { type: string; coordinates: unknown };
interface OutFeature {
  type: 'Feature';
  geometry: Geo;
  properties: Record<string, unknown>;
}

/** Sets one editor source's features. */
export function setEditSource(map: MapLibreMap, id: EditSourceId, features: OutFeature[]): void {
  const source = map.getSource(id) as GeoJSONSource | undefined;
  source?.setData({ type: 'FeatureCollection', features } as Parameters<GeoJSONSource['setData']>[0]);
}

export const asOut = (f: EditableFeature, properties: Record<string, unknown> = {}): OutFeature => ({
  type: 'Feature',
  geometry: f.geometry,
  properties: { id: f.id, ...properties },
});

export const pointOut = (p: readonly number[], properties: Record<string, unknown> = {}): OutFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [p[0], p[1]] },
  properties,
});

/** Vertex handles (every corner) and midpoint handles (one per edge, to add a corner) of an area feature. */
export function handlesOf(feature: EditableFeature, selected: VertexRef | null): OutFeature[] {
  if (feature.geometry.type !== 'Polygon' && feature.geometry.type !== 'MultiPolygon') return [];
  const out: OutFeature[] = [];
  polygonsOf(feature.geometry).forEach((rings, part) =>
    rings.forEach((ring, r) => {
      for (let i = 0; i + 1 < ring.length; i++) {
        const isSelected = !!selected && selected.featureId === feature.id && selected.part === part && selected.ring === r && selected.index === i;
        out.push(pointOut(ring[i], { kind: 'vertex', featureId: feature.id, part, ring: r, index: i, selected: isSelected }));
        const a = ring[i];
        const b = ring[i + 1];
        out.push(pointOut([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], { kind: 'mid', featureId: feature.id, part, ring: r, index: i }));
      }
    }),
  );
  return out;
}

/** The sketch being drawn: its line so far (with the rubber band to the pointer) and its points. */
export function sketchOf(points: readonly Position[], pointer: Position | null, closed: boolean): OutFeature[] {
  const line = pointer ? [...points, pointer] : [...points];
  if (closed && line.length >= 3) line.push(line[0]);
  const out: OutFeature[] = points.map((p) => pointOut(p));
  if (line.length >= 2) out.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: line }, properties: {} });
  return out;
}
