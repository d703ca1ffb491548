import { useEffect, useRef, useState } from 'react';
import type { ApiIssue } from '../../../core/api/api-schema';
import type { EngineGeometry, ImpactResult } from '../../../core/edit/edit-impact';
import type { EditableFeature } from '../../../core/edit/edit-types';
import type { ImpactRequest, ImpactResponse } from '../../workers/impact-preview.worker';
import type { EditLayer } from '../../../core/edit/edit-layer';

export interface ImpactState {
  result: ImpactResult | null;
  /** A preview for the current edit is being computed. */
  pending: boolean;
  ms: number | null;
  error: string | null;
}

/**
 * The impact preview, computed in a Web Worker with the core engine: the worker gets the
 * district and the open issues once (again when they change), then each edit of the session,
 * debounced, and answers with the issues and checkpoints that would change owner.
 */
export function useImpactPreview(
  geometry: EngineGeometry | null,
  issues: readonly ApiIssue[] | undefined,
  edit: { changes: { layer: EditLayer; upsert: EditableFeature[]; remove: string[] }[] } | null,
): ImpactState {
  const workerRef = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [state, setState] = useState<ImpactState>({ result: null, pending: false, ms: null, error: null });

  useEffect(() => {
    if (typeof Worker === 'undefined') return;
    const worker = new Worker(new URL('../../workers/impact-preview.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImpactResponse>) => {
      const message = event.data;
      if (message.id !== latest.current) return; // an older edit's answer
      if (message.type === 'error') setState({ result: null, pending: false, ms: null, error: message.message });
      else setState({ result: message.result, pending: false, ms: message.ms, error: null });
    };
    worker.onerror = (event) => setState((s) => ({ ...s, pending: false, error: event.message || 'worker error' }));
    workerRef.current = worker;
    return () => {
      worker.terminate();
      workerRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (!geometry || !issues) return;
    const request: ImpactRequest = {
      type: 'init',
      geometry,
      issues: issues.map((i) => ({ id: i.id, code: i.code, lon: i.lon, lat: i.lat, category: i.category, status: i.status, unitId: i.unitId, assignment: i.assignment })),
    };
    workerRef.current?.postMessage(request);
  }, [geometry, issues]);

  useEffect(() => {
    const id = ++latest.current;
    if (!edit || !geometry || !issues || edit.changes.every((c) => c.upsert.length === 0 && c.remove.length === 0)) {
      setState({ result: null, pending: false, ms: null, error: null });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      const request: ImpactRequest = { type: 'preview', id, changes: edit.changes };
      workerRef.current?.postMessage(request);
    }, 250);
    return () => clearTimeout(timer);
  }, [edit, geometry, issues]);

  return state;
}
