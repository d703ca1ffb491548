import { useCallback, useEffect, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CountsResponse, LayerParam } from '../../core/api/api-schema';
import type { BBox } from '../../core/geometry/geometry-schema';
import { DistrictMap } from './district-map';
import type { GridExtrusion } from './grid-extrusion';
import type { IssuePoint, LayerVisibility } from './issue-points';
import type { LayerCollection } from './map-data';
import { createIssuePulses, type IssuePulses } from './new-issue-pulse';
import { addUnvisitedCheckpoints, type UnvisitedLayer } from './unvisited-checkpoints';
import { flyToStop } from './tour-camera';

export interface ScreenMapProps {
  bounds: BBox;
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  counts: Partial<Record<LayerParam, CountsResponse['counts']>>;
  visible: LayerVisibility;
  issues: readonly IssuePoint[];
  /** Issues that just appeared: each gets a short ring animation where it was reported (with its photo when it has one). */
  newIssues: readonly IssuePoint[];
  /** Checkpoints nobody checked in at today: grey rings (the patrol coverage layer); undefined: none drawn. */
  unvisitedCheckpointIds?: readonly string[];
  /** Grids as 3D columns by open issues (deck.gl), with the camera tilted. */
  extrude: boolean;
  /** Where the tour is (a street's bbox); null: the whole district, no tour. */
  tourBBox: BBox | null;
  /** Space the panels over the map take, in design pixels, so a framed street is not under them. */
  padding: { top: number; bottom: number; left: number; right: number };
  /**
   * CSS pixels per design pixel of the screen. The map is laid out at design size and scaled up by
   * a CSS transform, so that its labels, lines and markers grow with the screen like the rest of it;
   * its canvas renders at `scale ×` the device pixel ratio, so it stays sharp. (maplibre reads the
   * transform back for pointer positions.)
   */
  scale: number;
  className?: string;
}

/** Tilt of the camera while grids are extruded (degrees). */
const EXTRUDED_PITCH = 45;

/**
 * The large screen's map: the shared district map plus what only the wall display does — rings
 * for new issues, grids extruded by open issues, and the tour camera. Everything it adds is
 * attached through `onMapReady`, so it comes back by itself after a WebGL context loss.
 */
export function ScreenMap(props: ScreenMapProps) {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const pulses = useRef<IssuePulses | null>(null);
  const unvisited = useRef<UnvisitedLayer | null>(null);
  const extrusion = useRef<GridExtrusion | null>(null);
  const latest = useRef(props);
  latest.current = props;

  const onMapReady = useCallback((ready: MapLibreMap) => {
    ready.setPixelRatio(pixelRatioFor(latest.current.scale));
    pulses.current = createIssuePulses(ready);
    unvisited.current = addUnvisitedCheckpoints(ready);
    unvisited.current.update(latest.current.geometry.checkpoints, latest.current.unvisitedCheckpointIds);
    setMap(ready);
    return () => {
      pulses.current?.clear();
      pulses.current = null;
      unvisited.current?.remove();
      unvisited.current = null;
      extrusion.current?.remove();
      extrusion.current = null;
      setMap(null);
    };
  }, []);

  const { scale } = props;
  useEffect(() => {
    if (map && map.getPixelRatio() !== pixelRatioFor(scale)) map.setPixelRatio(pixelRatioFor(scale));
  }, [map, scale]);

  // New issues: rings where they were reported.
  useEffect(() => {
    if (props.newIssues.length) pulses.current?.add(props.newIssues);
  }, [props.newIssues]);

  // Today's unvisited checkpoints: a small source replaced at each coverage poll.
  const checkpointGeometry = props.geometry.checkpoints;
  const { unvisitedCheckpointIds } = props;
  useEffect(() => {
    unvisited.current?.update(checkpointGeometry, unvisitedCheckpointIds);
  }, [map, checkpointGeometry, unvisitedCheckpointIds]);

  // 3D grids: deck.gl is loaded only when asked for.
  const { extrude } = props;
  useEffect(() => {
    if (!map || !extrude) return;
    let cancelled = false;
    void import('./grid-extrusion').then(({ addGridExtrusion }) => {
      if (cancelled) return;
      extrusion.current = addGridExtrusion(map);
      extrusion.current.update(latest.current.geometry.grids, latest.current.counts.grids);
    });
    return () => {
      cancelled = true;
      extrusion.current?.remove();
      extrusion.current = null;
    };
  }, [map, extrude]);
  const grids = props.geometry.grids;
  const gridCounts = props.counts.grids;
  useEffect(() => {
    extrusion.current?.update(grids, gridCounts);
  }, [grids, gridCounts]);

  // Camera: the tour's street, or the whole district; tilted when grids stand up.
  const { tourBBox, bounds } = props;
  useEffect(() => {
    if (!map) return;
    flyToStop(map, { bbox: tourBBox ?? bounds, pitch: extrude ? EXTRUDED_PITCH : 0 }, latest.current.padding, tourBBox || extrude ? 2500 : 0);
  }, [map, tourBBox, bounds, extrude]);

  return (
    <div className="screen-map-scaler" style={{ width: `${100 / scale}%`, height: `${100 / scale}%`, transform: `scale(${scale})`, transformOrigin: '0 0' }}>
      <DistrictMap
        bounds={props.bounds}
        geometry={props.geometry}
        counts={props.counts}
        visible={props.visible}
        issues={props.issues}
        theme="dark"
        onMapReady={onMapReady}
        className={props.className}
      />
    </div>
  );
}

function pixelRatioFor(scale: number): number {
  return (globalThis.devicePixelRatio || 1) * scale;
}
