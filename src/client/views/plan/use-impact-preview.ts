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
 * debounced, and answers with the issues and checkpoints that would change owner. The worker
 * starts with the first edit, not with the page: indexing the district in it (and copying the
 * geometry to it) competed with the map's first paint on a two-core machine, for a preview
 * nobody asked for yet.
 */
export function useImpactPreview(
  geometry: EngineGeometry | null,
  issues: readonly ApiIssue[] | undefined,
  edit: { changes: { layer: EditLayer; upsert: EditableFeature[]; remove: string[] }[] } | null,
): ImpactState {
  const workerRef = useRef<Worker | null>(null);
  const latest = useRef(0);
  const inputs = useRef({ geometry, issues });
  inputs.current = { geometry, issues };
  /** The geometry and issues the worker was last given. */
  const sent = useRef<{ geometry: EngineGeometry; issues: readonly ApiIssue[] } | null>(null);
  const [state, setState] = useState<ImpactState>({ result: null, pending: false, ms: null, error: null });

  /** The worker, started on first use, given the current district and issues if it lacks them. */
  const worker = (): Worker | null => {
    if (typeof Worker === 'undefined') return null;
    let current = workerRef.current;
    if (!current) {
      current = new Worker(new URL('../../workers/impact-preview.worker.ts', import.meta.url), { type: 'module' });
      current.onmessage = (event: MessageEvent<ImpactResponse>) => {
        const message = event.data;
        if (message.id !== latest.current) return; // an older edit's answer
        if (message.type === 'error') setState({ result: null, pending: false, ms: null, error: message.message });
        else setState({ result: message.result, pending: false, ms: message.ms, error: null });
      };
      current.onerror = (event) => setState((s) => ({ ...s, pending: false, error: event.message || 'worker error' }));
      workerRef.current = current;
    }
    const { geometry, issues } = inputs.current;
    if (geometry && issues && (sent.current?.geometry !== geometry || sent.current.issues !== issues)) {
      const request: ImpactRequest = {
        type: 'init',
        geometry,
        issues: issues.map((i) => ({ id: i.id, code: i.code, lon: i.lon, lat: i.lat, category: i.category, status: i.status, unitId: i.unitId, assignment: i.assignment })),
      };
      current.postMessage(request);
      sent.current = { geometry, issues };
    }
    return current;
  };

  useEffect(
    () => () => {
      workerRef.current?.terminate();
      workerRef.current = null;
      sent.current = null;
    },
    [],
  );

  // New district or issues: a worker already started gets them now (before the next edit's preview).
  useEffect(() => {
    if (workerRef.current) worker();
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
      worker()?.postMessage(request);
    }, 250);
    return () => clearTimeout(timer);
  }, [edit, geometry, issues]);

  return state;
}
