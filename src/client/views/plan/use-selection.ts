import { useCallback, useState } from 'react';
import type { EditLayer } from '../../../core/edit/edit-layer';
import type { EditableFeature, Position, VertexRef } from '../../../core/edit/edit-types';
import { pickFeature } from '../../../core/edit/pick-feature';

/** Roads are picked within this many pixels of their centreline. */
const ROAD_PICK_PIXELS = 12;

/**
 * What the planner has selected: features of the edited layer (Shift adds and removes, for a
 * merge) and one vertex (to delete). A click picks the feature under the pointer (pickFeature).
 */
export function useSelection() {
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [selectedVertex, setSelectedVertex] = useState<VertexRef | null>(null);

  /** A click at `point` in select mode, among `features` of `layer`; `additive` with Shift. */
  const selectAt = useCallback((features: Iterable<EditableFeature>, layer: EditLayer, point: Position, additive: boolean, metresPerPixel: number) => {
    const hit = pickFeature(features, point, layer, ROAD_PICK_PIXELS * metresPerPixel);
    setSelectedVertex(null);
    setSelectedIds((ids) => {
      if (!hit) return additive ? ids : [];
      if (!additive) return [hit.id];
      return ids.includes(hit.id) ? ids.filter((i) => i !== hit.id) : [...ids, hit.id];
    });
  }, []);
  /** Nothing selected (another layer, say). */
  const clear = useCallback(() => {
    setSelectedIds([]);
    setSelectedVertex(null);
  }, []);

  return { selectedIds, setSelectedIds, selectedVertex, setSelectedVertex, selectAt, clear };
}

export type Selection = ReturnType<typeof useSelection>;
