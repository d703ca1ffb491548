/**
 * The `revisions` table of both backends: one monotonic counter per name, bumped in the same
 * transaction as the write it describes ('data' by every write, 'zones' by every zone write,
 * 'layer:<name>' by a write of that layer), and 'epoch', the seed time, set once.
 */
import { LAYERS, type LayerName } from '../../core/district/district-schema';
import type { Revisions } from './repository';

/** The name of a layer's counter. */
export const layerRevision = (layer: LayerName) => `layer:${layer}`;

/** The counters from the rows of `revisions` (a counter without a row is 0). */
export function toRevisions(rows: readonly { name: string; value: number }[]): Revisions {
  const all = new Map(rows.map((r) => [r.name, r.value]));
  const layers = Object.fromEntries(LAYERS.map((l) => [l, all.get(layerRevision(l)) ?? 0])) as Record<LayerName, number>;
  return { epoch: all.get('epoch') ?? 0, data: all.get('data') ?? 0, zones: all.get('zones') ?? 0, layers };
}

/** The counters a seed starts: every layer's, the zones' and the data's. */
export const SEED_BUMPS: readonly string[] = [...LAYERS.map(layerRevision), 'zones', 'data'];
