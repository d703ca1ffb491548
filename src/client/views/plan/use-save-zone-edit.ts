import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { ZoneEditConflicts, type ZoneEditResponse } from '../../../core/api/api-schema';
import { expectedVersions } from '../../../core/edit/edit-session';
import type { EditableFeature } from '../../../core/edit/edit-types';
import { AreaGeometry, LineGeometry } from '../../../core/geometry/geometry-schema';
import { ApiRequestError } from '../../api/http';
import { fetchZone, saveZoneEdit, zoneHistoryQueryOptions } from '../../api/zone-edits';
import { useI18n } from '../../i18n/i18n';
import type { EditMapState } from '../../map/edit-controller';
import type { ConflictEntry } from './conflict-dialog';
import type { Notice } from './use-edit-commands';
import type { EditSessionState } from './use-edit-session';

export type Outline = EditMapState['outlines'][number];

const DrawableFeature = z.object({ geometry: AreaGeometry.or(LineGeometry) });

/**
 * The geometry of a feature from the server that the editor did not load itself (a history
 * entry's before or after, a zone someone else saved), when it is a zone's or a road's; null
 * otherwise (deleted, or not a feature).
 */
export function drawableGeometryOf(feature: unknown): EditableFeature['geometry'] | null {
  const parsed = DrawableFeature.safeParse(feature);
  return parsed.success ? parsed.data.geometry : null;
}

/** Conflicts listed at most (the dialog lists them; the rest are re-applied or dropped alike). */
const SHOWN_CONFLICTS = 20;

/**
 * Saving the session: the save dialog (the server's preview and a comment), the save itself — the
 * whole session as one atomic edit of every layer it changed, with the versions it started from —
 * and when someone else saved first (412) the conflict dialog: both versions outlined on the map,
 * who saved when, and the choice to re-apply this session on top of theirs or drop it. After a
 * save (or a rollback, through `afterSave`) the layers, counts, issues and histories are fetched
 * again and the session starts over from them.
 */
export function useSaveZoneEdit(
  session: EditSessionState,
  nameOf: (id: string) => string,
  setNotice: (notice: Notice) => void,
  setOutlines: (outlines: Outline[]) => void,
  onSaved: () => void,
) {
  const client = useQueryClient();
  const { t } = useI18n();
  const [saveOpen, setSaveOpen] = useState(false);
  const [conflict, setConflict] = useState<ConflictEntry[] | null>(null);
  const [conflictBusy, setConflictBusy] = useState(false);
  const { active, changes, features, layer, layerOf, reload, restartOnFreshData } = session;

  const afterSave = async (result: ZoneEditResponse | null, message: string) => {
    restartOnFreshData();
    onSaved();
    setOutlines([]);
    await Promise.all([
      ...(result?.layers ?? [layer]).map((l) => client.invalidateQueries({ queryKey: ['layer', l] })),
      client.invalidateQueries({ queryKey: ['counts'] }),
      client.invalidateQueries({ queryKey: ['issues'] }),
      client.invalidateQueries({ queryKey: ['summary'] }),
      client.invalidateQueries({ queryKey: ['zone-history'] }),
    ]);
    setNotice({ kind: 'info', text: message });
  };

  const openConflict = async (details: unknown) => {
    const parsed = ZoneEditConflicts.safeParse(details);
    const list = (parsed.success ? parsed.data.conflicts : []).slice(0, SHOWN_CONFLICTS);
    const entries: ConflictEntry[] = [];
    const outlines: Outline[] = [];
    for (const c of list) {
      const mine = features.get(c.id);
      if (mine) outlines.push({ which: 'mine', geometry: mine.geometry });
      let by: string | null = null;
      let at: string | null = null;
      let note: string | null = null;
      try {
        const theirs = drawableGeometryOf(await fetchZone(c.layer ?? layerOf(c.id), c.id));
        if (theirs) outlines.push({ which: 'theirs', geometry: theirs });
        const history = await client.fetchQuery(zoneHistoryQueryOptions(c.layer ?? layerOf(c.id), c.id));
        const last = history.history.at(-1);
        by = last?.by ?? null;
        at = last?.at ?? null;
        note = last?.note ?? null;
      } catch {
        /* deleted meanwhile: shown as such */
      }
      entries.push({ id: c.id, name: nameOf(c.id), mine: c.expected, theirs: c.actual, by, at, note });
    }
    setOutlines(outlines);
    setConflict(entries);
  };

  const save = useMutation({
    mutationFn: (note: string) =>
      saveZoneEdit({
        changes: changes.map((c) => ({ layer: c.layer, upsert: c.upsert, remove: c.remove, expectedVersions: active ? expectedVersions(active, c) : {} })),
        note,
      }),
    onSuccess: async (result) => {
      setSaveOpen(false);
      await afterSave(result, t('plan.notice.saved', { issues: result.reassigned.length, checkpoints: result.checkpoints.length }));
    },
    onError: async (error) => {
      if (error instanceof ApiRequestError && error.status === 412) {
        setSaveOpen(false);
        await openConflict(error.details);
      }
    },
  });
  /** The save's error to show in the dialog (a conflict shows its own dialog instead). */
  const saveError = save.error && !(save.error instanceof ApiRequestError && save.error.status === 412) ? save.error.message : null;

  /** Re-applies this session on the layers as stored now, or drops it (`reapply` false). */
  const resolveConflict = async (reapply: boolean) => {
    setConflictBusy(true);
    try {
      await reload(reapply);
      setConflict(null);
      setOutlines([]);
      setNotice({ kind: 'info', text: reapply ? t('plan.notice.reapplied') : t('plan.notice.discarded') });
    } finally {
      setConflictBusy(false);
    }
  };
  const closeConflict = () => {
    setConflict(null);
    setOutlines([]);
  };

  return {
    saveOpen,
    openSave: () => setSaveOpen(true),
    closeSave: () => setSaveOpen(false),
    save,
    saveError,
    conflict,
    conflictBusy,
    resolveConflict,
    closeConflict,
    afterSave,
  };
}
