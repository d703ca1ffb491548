import Supercluster, { type PointFeature } from 'supercluster';
import type { SourceCollection } from './map-data';

/** Clusters of checkpoints for the zooms below `maxZoom`; built once per checkpoint layer. */
export interface CheckpointClusters {
  /** Clusters and lone checkpoints inside `bbox` ([w, s, e, n]) at `zoom`, as a FeatureCollection. */
  at(bbox: [number, number, number, number], zoom: number): SourceCollection;
}

/**
 * Indexes checkpoint markers with supercluster. 132 checkpoints fill a district at low zoom with
 * overlapping dots; clusters show how many are where, and single markers take over when zoomed in.
 */
export function buildCheckpointClusters(markers: SourceCollection, maxZoom: number): CheckpointClusters {
  const index = new Supercluster({ radius: 48, maxZoom, minPoints: 2 });
  index.load(markers.features as PointFeature<Record<string, unknown>>[]);
  return {
    at(bbox, zoom) {
      const features = index.getClusters(bbox, Math.floor(zoom));
      return { type: 'FeatureCollection', features: features as SourceCollection['features'] };
    },
  };
}
