import { useEffect, useMemo } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { COUNTED_LAYERS, type CountsResponse, type DistrictResponse, type LayerParam } from '../../../core/api/api-schema';
import { LAYERS } from '../../../core/district/district-schema';
import { countsQueryOptions } from '../../api/counts';
import { districtQueryOptions } from '../../api/district';
import { openIssueMapPointsQueryOptions } from '../../api/issues';
import { layerQueryOptions } from '../../api/layer';
import { preloadDistrictMap } from '../../map/preload-map';
import { perfMark } from '../../perf-mark';
import type { IssuePoint } from '../../map/issue-points';
import type { LayerCollection } from '../../map/map-data';

/** What the shared map draws, from the API: district, geometry and counts (open issues: useOpenIssuePoints). */
export interface MapData {
  district: DistrictResponse | undefined;
  geometry: Partial<Record<LayerParam, LayerCollection>>;
  counts: Partial<Record<LayerParam, CountsResponse['counts']>>;
  /** The newest `asOf` of the counts, for "data as of". */
  asOf: string | null;
  /** The data revision the counts report (rises with every issue change). */
  revision: number | undefined;
  /** The first error of any of these queries (the banner explains connection problems). */
  error: unknown;
}

/**
 * Loads the map's data with one query per endpoint. Geometry is fetched once and kept; counts are
 * polled every `refreshMs`.
 */
export function useMapData(refreshMs: number): MapData {
  // Every view that loads the map's data draws the map: its code starts loading with the data.
  preloadDistrictMap();
  // When the view that draws the map was first committed (its queries start then): first-paint-timeline.ts.
  useEffect(() => perfMark('view-committed'), []);
  const district = useQuery(districtQueryOptions());
  const layers = useQueries({ queries: LAYERS.map((layer) => layerQueryOptions(layer)) });
  const counts = useQueries({ queries: COUNTED_LAYERS.map((layer) => countsQueryOptions(layer, refreshMs)) });

  const layerData = layers.map((q) => q.data);
  const geometry = useMemo(() => {
    const out: Partial<Record<LayerParam, LayerCollection>> = {};
    LAYERS.forEach((layer, i) => {
      if (layerData[i]) out[layer] = layerData[i] as LayerCollection;
    });
    return out;
    // Identity of each layer's data is what matters: a 304 keeps it, so nothing downstream moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, layerData);

  const countData = counts.map((q) => q.data);
  const countMaps = useMemo(() => {
    const out: Partial<Record<LayerParam, CountsResponse['counts']>> = {};
    COUNTED_LAYERS.forEach((layer, i) => {
      if (countData[i]) out[layer] = countData[i]!.counts;
    });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, countData);

  const revision = countData.reduce<number | undefined>((max, c) => (c ? Math.max(max ?? 0, c.revision) : max), undefined);
  const asOf = countData.reduce<string | null>((latest, c) => (c && (!latest || c.asOf > latest) ? c.asOf : latest), null);
  const error = district.error ?? layers.find((q) => q.error)?.error ?? counts.find((q) => q.error)?.error ?? null;
  return { district: district.data, geometry, counts: countMaps, asOf, revision, error };
}

const NO_POINTS: IssuePoint[] = [];

/**
 * The open issues as map points at data `revision`, fetched again only when the revision moves —
 * and only while `wanted` (the issue layer is on): a phone opening /lookup with the layer off does
 * not download and parse every open issue of the district before its map.
 */
export function useOpenIssuePoints(revision: number | undefined, wanted: boolean): IssuePoint[] {
  const openIssues = useQuery({ ...openIssueMapPointsQueryOptions(revision), enabled: wanted && revision !== undefined });
  return openIssues.data ?? NO_POINTS;
}
