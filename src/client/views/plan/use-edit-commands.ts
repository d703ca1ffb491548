import { useCallback, useState } from 'react';
import { CHILD_OF, type EditLayer } from '../../../core/edit/edit-layer';
import { EditError, areaFeatures, type EditChange, type VertexRef } from '../../../core/edit/edit-types';
import { mergeZones } from '../../../core/edit/merge-zones';
import { deleteVertex, replaceProperties } from '../../../core/edit/vertex-edit';
import { useI18n, type I18n } from '../../i18n/i18n';
import type { EditSessionState } from './use-edit-session';
import type { Selection } from './use-selection';

/** A line under the toolbar: what an edit did, or why it could not be made. */
export type Notice = { kind: 'error' | 'info'; text: string } | null;

/** " 3 个网格随之改属所在的区划。" for a notice, when `count` zones of the layer below `layer` followed an edit. */
export function childrenFollowedText(t: I18n['t'], layer: EditLayer, count: number): string {
  const below = CHILD_OF[layer];
  return count > 0 && below ? t('plan.notice.childrenFollowed', { count, layer: t(`layer.${below}`) }) : '';
}

/**
 * The editor's commands on the session: every edit goes through `commit` (an empty change is
 * dropped; a new edit clears the notice) or `attempt` (an edit that may be refused: the refusal
 * becomes the notice, in words from plan.editError.*). Merge, vertex delete, attributes and
 * pointer edits are the toolbar's and the map's; drawing and splitting are the sketch's.
 */
export function useEditCommands(session: EditSessionState, selection: Selection, canEdit: boolean) {
  const { t } = useI18n();
  const [notice, setNotice] = useState<Notice>(null);
  const { commit: commitToSession, layer, layered, features } = session;

  const commit = useCallback(
    (change: EditChange) => {
      if (change.before.length === 0 && change.after.length === 0) return;
      commitToSession(change);
      setNotice(null);
    },
    [commitToSession],
  );
  const errorText = useCallback(
    (error: unknown) => (error instanceof EditError ? t(`plan.editError.${error.code}`) : error instanceof Error ? error.message : String(error)),
    [t],
  );
  /** Shows why an edit was refused. */
  const refuse = useCallback((error: unknown) => setNotice({ kind: 'error', text: errorText(error) }), [errorText]);
  /** Commits the change `make` returns; true when it did, false (with the reason shown) when `make` threw. */
  const attempt = useCallback(
    (make: () => EditChange) => {
      try {
        commit(make());
        return true;
      } catch (error) {
        refuse(error);
        return false;
      }
    },
    [commit, refuse],
  );

  /** Merges the selected zones into the first selected; their children follow. */
  const mergeSelected = () => {
    const ids = selection.selectedIds;
    let followed = 0;
    const merged = attempt(() => {
      const made = mergeZones(layer, layered, ids);
      followed = made.moved;
      return made.change;
    });
    if (!merged) return;
    selection.setSelectedIds([ids[0]!]);
    if (followed > 0) setNotice({ kind: 'info', text: childrenFollowedText(t, layer, followed).trim() });
  };
  /** Deletes a vertex in every zone sharing it. */
  const deleteVertexAt = (ref: VertexRef) => {
    if (canEdit && attempt(() => deleteVertex(areaFeatures(features.values()), ref))) selection.setSelectedVertex(null);
  };
  /** The attribute form's values as one edit of the feature. */
  const applyAttributes = (id: string, properties: Record<string, unknown>) => attempt(() => replaceProperties(features, id, properties));
  /** A vertex dragged, added or deleted on the map. */
  const pointerEdit = (change: EditChange) => (canEdit ? commit(change) : setNotice({ kind: 'error', text: t('plan.signInToEdit') }));

  return { notice, setNotice, commit, attempt, refuse, mergeSelected, deleteVertexAt, applyAttributes, pointerEdit };
}

export type EditCommands = ReturnType<typeof useEditCommands>;
