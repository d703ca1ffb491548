/// <reference lib="webworker" />
import { computeLayersImpact, prepareImpactBase, type EngineGeometry, type ImpactBase, type ImpactIssueInput, type ImpactResult } from '../../core/edit/edit-impact';
import type { EditableFeature } from '../../core/edit/edit-types';
import type { LayerName } from '../../core/district/district-schema';

/**
 * The zone editor's impact preview off the main thread: the engine index of the current district
 * is built once per `init`, then every `preview` re-runs the engine on the open issues against
 * the edited layers, so dragging a boundary never stalls the map.
 */
export type ImpactRequest =
  | { type: 'init'; geometry: EngineGeometry; issues: ImpactIssueInput[] }
  | { type: 'preview'; id: number; changes: { layer: LayerName; upsert: EditableFeature[]; remove: string[] }[] };

export type ImpactResponse = { type: 'preview'; id: number; result: ImpactResult; ms: number } | { type: 'error'; id: number; message: string };

let base: ImpactBase | null = null;

self.onmessage = (event: MessageEvent<ImpactRequest>) => {
  const request = event.data;
  if (request.type === 'init') {
    base = prepareImpactBase(request.geometry, request.issues);
    return;
  }
  const started = performance.now();
  try {
    if (!base) throw new Error('the preview worker has no district yet');
    const result = computeLayersImpact(base, request.changes);
    post({ type: 'preview', id: request.id, result, ms: performance.now() - started });
  } catch (error) {
    post({ type: 'error', id: request.id, message: (error as Error).message });
  }
};

function post(message: ImpactResponse): void {
  (self as unknown as { postMessage(m: ImpactResponse): void }).postMessage(message);
}
