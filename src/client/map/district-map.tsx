import { useEffect, useRef, useState } from 'react';
import {
  GeoJSONSource,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  prewarm,
  ScaleControl,
  setWorkerUrl,
  type LayerSpecification,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type StyleSpecification,
} from 'maplibre-gl';
// maplibre's worker, built from the same sources as its main thread (maplibre-build.ts).
import workerUrl from 'maplibre-gl/src/source/worker.ts?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { CountsResponse, LayerParam } from '../../core/api/api-schema';
import type { BBox } from '../../core/geometry/geometry-schema';
import { useI18n } from '../i18n/i18n';
import { applyCountsDiff } from './apply-counts';
import type { IssueOverlay } from './issue-overlay';
import type { IssueMode, IssuePoint, LayerVisibility } from './issue-points';
import { labelCharacters, labelsLaidOutAt, type NameLabelLayer } from './label-glyphs';
import { checkpointMarkers, featuresSource, initialSourceData, withSourceData, zonesSource, type LayerCollection } from './map-data';
import { buildStyle, CHECKPOINT_CLUSTER_MAX_ZOOM, featureKey, HATCH_IMAGES, hatchPattern, type HatchImage, INTERACTIVE_LAYERS, LABEL_FONTS, LAYER_SOURCE, LOCAL_IDEOGRAPH_FONTS, SOURCE_IDS, styleLayerVisibility, type MapTheme } from './map-style';
import { createMapStats, publishMapStats, type MapStats } from './map-stats';
import { perfMark } from '../perf-mark';

perfMark('map-chunk');

type Counts = CountsResponse['counts'];

/** A feature the pointer is on or clicked: which layer, its id, name and properties. */
export interface MapFeatureRef {
  layer: LayerParam;
  id: string;
  name: string;
  properties: Record<string, unknown>;
}

/** Where to move the camera: a point (and zoom), changed by identity. */
export interface MapFocus {
  lon: number;
  lat: number;
  zoom?: number;
}

export interface DistrictMapProps {
  /** Initial view: the district's bbox [w, s, e, n]. */
  bounds: BBox;
  /** Geometry per layer, as the layer queries return it. Changes only after zone edits. */
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  /** Open and overdue counts per layer; applied as feature-state, never as new data. */
  counts: Partial<Record<LayerParam, Counts>>;
  visible: LayerVisibility;
  issues?: readonly IssuePoint[];
  issueMode?: IssueMode;
  /** A pin (lookup location), WGS-84. */
  marker?: [number, number] | null;
  focus?: MapFocus | null;
  theme?: MapTheme;
  /** 天地图 key; without one the basemap layer does not exist. */
  tiandituKey?: string | null;
  /** A click or tap on the map: where, and the top feature there (null on empty ground). */
  onPointClick?: (lonLat: [number, number], feature: MapFeatureRef | null) => void;
  /**
   * Called with the map once it has loaded, and again after it was rebuilt (WebGL context restored
   * or the map re-created); the function it returns runs before that and before the map goes.
   * For code in client/map that adds its own layers or camera moves (the large screen's).
   */
  onMapReady?: (map: MapLibreMap) => (() => void) | void;
  className?: string;
}

/** A lost WebGL context not restored by the browser within this time gets a new map (new canvas). */
const CONTEXT_RESTORE_WAIT_MS = 4000;

const ALL_LAYERS: LayerParam[] = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'];
const ZONE_LAYERS = ['streets', 'communities', 'grids'] as const;

let workerConfigured = false;
function configureWorker(): void {
  if (workerConfigured) return;
  setWorkerUrl(workerUrl);
  workerConfigured = true;
}

/**
 * Starts maplibre's worker before the first map exists (its script is half a megabyte to fetch and
 * compile), and keeps it for every later map of the page: a view switch or a map rebuilt after a
 * lost WebGL context reuses it instead of starting another.
 */
export function prewarmMap(): void {
  configureWorker();
  prewarm();
}

/**
 * The shared district map (maplibre-gl + deck.gl). Views pass data and callbacks; this component
 * owns the map instance. Geometry goes into sources once per load; counts only ever become
 * feature-state, so a poll that brings new numbers repaints colours without re-sending shapes.
 */
export function DistrictMap(props: DistrictMapProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const statsRef = useRef<MapStats>(createMapStats());
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  // Bumped when the WebGL context comes back (re-apply feature-state, re-add overlays) or the map is re-created.
  const [restores, setRestores] = useState(0);
  const [generation, setGeneration] = useState(0);
  const [hover, setHover] = useState<{ x: number; y: number; feature: MapFeatureRef } | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const countsRef = useRef<Partial<Record<LayerParam, Counts>>>({});
  const appliedCounts = useRef<Partial<Record<LayerParam, Counts | null>>>({});
  const appliedGeometry = useRef<Partial<Record<LayerParam, LayerCollection>>>({});
  const overlayRef = useRef<IssueOverlay | null>(null);
  const overlayLoading = useRef(false);
  const markerRef = useRef<Marker | null>(null);
  const theme = props.theme ?? 'light';

  /** The first 'idle' once every layer's geometry is on the map: the map is complete (stats, e2e). */
  const whenReady = (map: MapLibreMap, stats: MapStats) => {
    if (stats.readyAt !== null || stats.readyPending) return;
    stats.readyPending = true;
    map.once('idle', () => {
      stats.readyAt = performance.now();
      perfMark('map-ready');
      containerRef.current?.setAttribute('data-map-ready', 'true');
    });
  };

  /** Applies the counts that changed since the last call as feature-state; returns the features updated. */
  const applyCounts = (map: MapLibreMap, counts: Partial<Record<LayerParam, Counts>>): number => {
    let updated = 0;
    for (const layer of ALL_LAYERS) {
      const next = counts[layer];
      const previous = appliedCounts.current[layer] ?? null;
      if (!next || next === previous) continue;
      // The layer's features are keyed layer/id in their source (a checkpoint's marker and area share one key).
      const target = { setFeatureState: ({ id }: { id: string | number }, state: Record<string, unknown>) => map.setFeatureState({ source: LAYER_SOURCE[layer], id: featureKey(layer, String(id)) }, state) };
      updated += applyCountsDiff(target, layer, previous, next);
      appliedCounts.current[layer] = next;
    }
    return updated;
  };

  // The view's own additions (layers, camera), attached to every (re)built map. Declared before the
  // map's creation so that, when the map goes, they are detached first (cleanups run in this order).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const detach = propsRef.current.onMapReady?.(map);
    return () => detach?.();
  }, [loaded, restores, generation]);

  // Create the map once; everything else updates it in place.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    perfMark('map-effect');
    prewarmMap();
    const stats = createMapStats();
    statsRef.current = stats;
    publishMapStats(stats);
    // The geometry that is already here goes into the style itself: maplibre's worker cuts each
    // source's tiles once, from its first frame, instead of drawing an empty map, firing 'load' and
    // only then getting the data (a second layout, and the frames of an empty district).
    const initial = initialSourceData(propsRef.current.geometry);
    appliedGeometry.current = { ...initial.applied };
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container,
        // Built with the layers already switched as the view wants them: a layout change after
        // load (visibility is layout) makes maplibre's worker cut every tile of the source again.
        style: withSourceData(withVisibility(buildStyle({ theme, tiandituKey: propsRef.current.tiandituKey }), styleLayerVisibility(propsRef.current.visible)), initial.data),
        bounds: propsRef.current.bounds as [number, number, number, number],
        fitBoundsOptions: { padding: 24 },
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
    } catch (error) {
      setFailed((error as Error).message);
      return;
    }
    perfMark('map-created');
    mapRef.current = map;
    stats.featureState = (layer, id) => map.getFeatureState({ source: LAYER_SOURCE[layer as LayerParam] ?? layer, id: featureKey(layer as LayerParam, id) });
    stats.project = (lon, lat) => {
      const p = map.project([lon, lat]);
      return [p.x, p.y];
    };
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('error', (event) => {
      const message = event.error?.message ?? String(event.error);
      stats.errors.push(message);
      console.warn('map error:', message);
    });
    for (const id of Object.keys(initial.data)) stats.setData[id] = 1; // the style's data counts as the source's first
    for (const layer of Object.keys(initial.applied)) stats.sources.push(layer);
    // Everything that needs the style (data, feature-state, the views' own layers) goes on as soon
    // as the style is there, not at 'load' (the first complete frame): counts applied before the
    // tiles are laid out are in their first upload, not a re-upload and another frame.
    map.once('style.load', () => {
      perfMark('style-load');
      prewarmLabelGlyphs(map, appliedGeometry.current);
      applyCounts(map, countsRef.current);
      if (ZONE_LAYERS.every((layer) => appliedGeometry.current[layer])) {
        map.once('idle', () => {
          stats.zonesAt ??= performance.now();
        });
      }
      if (ALL_LAYERS.every((layer) => appliedGeometry.current[layer])) whenReady(map, stats);
      setLoaded(true);
    });
    map.once('load', () => perfMark('map-load'));
    map.once('render', () => perfMark('first-frame'));
    // The hatch patterns are made in code, when the style first asks for them (and again after a
    // context restore). A resolver answers before maplibre replies to its worker; an image added on
    // `styleimagemissing` came after the tiles were laid out without it (a console warning, and the
    // source's tiles reloaded once it arrived).
    map.setMissingStyleImageResolver((id) => {
      if (id in HATCH_IMAGES && !map.hasImage(id)) map.addImage(id, hatchPattern(id as HatchImage));
    });

    // WebGL context loss (GPU reset, driver update, too many contexts): maplibre rebuilds its style
    // from a snapshot when the context comes back, but feature-state and the deck.gl overlay are
    // gone, so they are applied again. If the browser does not give the context back, a new map.
    let restoreTimer: ReturnType<typeof setTimeout> | undefined;
    map.on('webglcontextlost', () => {
      stats.contextLosses++;
      clearTimeout(restoreTimer);
      restoreTimer = setTimeout(() => setGeneration((g) => g + 1), CONTEXT_RESTORE_WAIT_MS);
    });
    map.on('webglcontextrestored', () => {
      clearTimeout(restoreTimer);
      appliedCounts.current = {};
      if (overlayRef.current) map.removeControl(overlayRef.current.control);
      overlayRef.current = null;
      // The style is rebuilt from the snapshot asynchronously; its sources take state once loaded.
      const resume = () => {
        stats.contextRestores++;
        setRestores((n) => n + 1);
      };
      if (map.isStyleLoaded()) resume();
      else map.once('style.load', resume);
    });

    let frame = 0;
    let hovered: { source: string; id: string } | null = null;
    const clearHover = () => {
      if (hovered) map.setFeatureState(hovered, { hover: false });
      hovered = null;
    };
    const onMove = (event: MapMouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const feature = topFeature(map, event);
        clearHover();
        if (!feature) {
          map.getCanvas().style.cursor = '';
          setHover(null);
          return;
        }
        hovered = { source: feature.source, id: feature.key };
        map.setFeatureState(hovered, { hover: true });
        map.getCanvas().style.cursor = 'pointer';
        setHover({ x: event.point.x, y: event.point.y, feature: feature.ref });
      });
    };
    map.on('mousemove', onMove);
    map.on('mouseout', () => {
      cancelAnimationFrame(frame);
      clearHover();
      setHover(null);
    });
    map.on('click', (event) => {
      const feature = topFeature(map, event);
      propsRef.current.onPointClick?.([event.lngLat.lng, event.lngLat.lat], feature?.ref ?? null);
    });

    // Panels opening and closing resize the container without resizing the window.
    const observer = new ResizeObserver(() => map.resize());
    observer.observe(container);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(restoreTimer);
      observer.disconnect();
      overlayRef.current = null;
      markerRef.current = null;
      appliedCounts.current = {};
      appliedGeometry.current = {};
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
    // The map is rebuilt only when the theme or the basemap key changes (a different style), or
    // when a lost WebGL context did not come back (generation).
  }, [theme, props.tiandituKey, generation]);

  // Geometry: setData once per source when its layers arrive (and again only if a zone edit brings
  // new geometry). Zones do not wait for roads and checkpoints, nor these for the zones.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const stats = statsRef.current;
    const changed = ALL_LAYERS.filter((layer) => props.geometry[layer] && appliedGeometry.current[layer] !== props.geometry[layer]);
    if (!changed.length) return;
    for (const layer of changed) {
      appliedGeometry.current[layer] = props.geometry[layer];
      if (!stats.sources.includes(layer)) stats.sources.push(layer);
    }
    const applied = appliedGeometry.current;
    if (changed.some((layer) => LAYER_SOURCE[layer] === SOURCE_IDS.zones)) {
      setSourceData(map, SOURCE_IDS.zones, zonesSource(applied), stats);
      if (stats.zonesAt === null && ZONE_LAYERS.every((layer) => applied[layer])) {
        map.once('idle', () => {
          stats.zonesAt = performance.now();
        });
      }
    }
    if (changed.some((layer) => LAYER_SOURCE[layer] === SOURCE_IDS.features)) {
      setSourceData(map, SOURCE_IDS.features, featuresSource(applied.roads, applied.checkpoints), stats);
      if (changed.includes('checkpoints') && applied.checkpoints) setSourceData(map, SOURCE_IDS.checkpointClusters, checkpointMarkers(applied.checkpoints), stats);
    }
    prewarmLabelGlyphs(map, applied);
    if (stats.readyAt === null && ALL_LAYERS.every((layer) => applied[layer])) whenReady(map, stats);
  }, [loaded, props.geometry]);

  // Counts: feature-state only, and only for features whose numbers changed.
  useEffect(() => {
    countsRef.current = props.counts;
    const map = mapRef.current;
    if (!map || !loaded) return;
    const stats = statsRef.current;
    const started = performance.now();
    const updated = applyCounts(map, props.counts);
    if (updated > 0) {
      stats.recolours++;
      stats.lastRecolourFeatures = updated;
      map.once('idle', () => {
        stats.lastRecolourMs = performance.now() - started;
        containerRef.current?.setAttribute('data-recolours', String(stats.recolours));
      });
      map.triggerRepaint();
    }
  }, [loaded, restores, props.counts]);

  // Layer switches: visibility only, and only where it changed (each change re-cuts the source's
  // tiles); the choropleth moves to the finest zone layer that is on.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const [id, visibility] of Object.entries(styleLayerVisibility(props.visible))) {
      if (map.getLayer(id) && (map.getLayoutProperty(id, 'visibility') ?? 'visible') !== visibility) map.setLayoutProperty(id, 'visibility', visibility);
    }
  }, [loaded, props.visible]);

  // Issue points through deck.gl, loaded on first need.
  const { issues, issueMode = 'points' } = props;
  const issuesOn = props.visible.issues;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !issues) return;
    if (overlayRef.current) {
      overlayRef.current.update(issues, issueMode, issuesOn);
      return;
    }
    if (!issuesOn || overlayLoading.current) return;
    overlayLoading.current = true;
    void import('./issue-overlay').then(({ createIssueOverlay }) => {
      overlayLoading.current = false;
      if (mapRef.current !== map) return; // unmounted meanwhile
      const overlay = createIssueOverlay(() => map.getPixelRatio());
      map.addControl(overlay.control);
      overlayRef.current = overlay;
      const current = propsRef.current;
      overlay.update(current.issues ?? [], current.issueMode ?? 'points', current.visible.issues);
    });
  }, [loaded, restores, issues, issueMode, issuesOn]);

  // The lookup pin.
  const markerLon = props.marker?.[0];
  const markerLat = props.marker?.[1];
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    if (markerLon === undefined || markerLat === undefined) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) markerRef.current = new Marker({ color: '#b91c1c' }).setLngLat([markerLon, markerLat]).addTo(map);
    else markerRef.current.setLngLat([markerLon, markerLat]);
  }, [loaded, markerLon, markerLat]);

  // Camera moves asked for by the view (search result, typed coordinates, GPS).
  useEffect(() => {
    const map = mapRef.current;
    const focus = props.focus;
    if (!map || !loaded || !focus) return;
    map.easeTo({ center: [focus.lon, focus.lat], zoom: Math.max(map.getZoom(), focus.zoom ?? 15), duration: 600 });
  }, [loaded, props.focus]);

  if (failed) {
    return (
      <div className={`map-failed ${props.className ?? ''}`} role="alert">
        {t('map.webglMissing')}
      </div>
    );
  }
  const hoverCounts = hover ? countsRef.current[hover.feature.layer]?.[hover.feature.id] : undefined;
  return (
    <div className={`district-map ${props.className ?? ''}`} data-testid="district-map">
      <div ref={containerRef} className="district-map-canvas" />
      {!loaded && <div className="map-loading">{t('map.loading')}</div>}
      {hover && (
        <div className="map-tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }} role="tooltip">
          <strong>{hover.feature.name}</strong>
          <span>{t('map.open', { count: hoverCounts?.open ?? 0 })}</span>
          {(hoverCounts?.overdue ?? 0) > 0 && <span className="overdue">{t('map.overdue', { count: hoverCounts!.overdue })}</span>}
        </div>
      )}
    </div>
  );
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
function prewarmLabelGlyphs(map: MapLibreMap, applied: Partial<Record<LayerParam, LayerCollection>>): void {
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

function setSourceData(map: MapLibreMap, id: string, data: unknown, stats: MapStats): void {
  const source = map.getSource(id);
  if (!(source instanceof GeoJSONSource)) return;
  stats.setData[id] = (stats.setData[id] ?? 0) + 1;
  perfMark(`setData:${id}`);
  source.setData(data as Parameters<GeoJSONSource['setData']>[0]);
}

function topFeature(map: MapLibreMap, event: MapMouseEvent): { source: string; key: string; ref: MapFeatureRef } | null {
  const layers = INTERACTIVE_LAYERS.filter(({ styleLayer }) => map.getLayer(styleLayer) && map.getLayoutProperty(styleLayer, 'visibility') !== 'none');
  if (!layers.length) return null;
  const features = map.queryRenderedFeatures(event.point, { layers: layers.map((l) => l.styleLayer) });
  const feature: MapGeoJSONFeature | undefined = features[0];
  if (!feature) return null;
  const layer = layers.find((l) => l.styleLayer === feature.layer.id)!.layer;
  const properties = feature.properties as Record<string, unknown>;
  return {
    source: feature.source,
    key: String(feature.id),
    ref: { layer, id: String(properties.id), name: String(properties.name ?? properties.code ?? properties.id), properties },
  };
}
