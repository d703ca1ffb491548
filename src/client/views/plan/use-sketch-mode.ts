import { useState } from 'react';
import type { AreaFeature, Position } from '../../../core/edit/edit-types';
import { drawZone, parentOfOutline } from '../../../core/edit/draw-zone';
import { isZoneLayer, PARENT_OF } from '../../../core/edit/edit-layer';
import { splitZone } from '../../../core/edit/split-zone';
import { useI18n } from '../../i18n/i18n';
import type { EditMode } from '../../map/edit-controller';
import type { MapData } from '../shared/use-map-data';
import { storedFeatures } from './stored-layers';
import { childrenFollowedText, type EditCommands } from './use-edit-commands';
import type { EditSessionState } from './use-edit-session';
import type { Selection } from './use-selection';

/**
 * What the pointer does (select; draw a new zone; draw a split line) and what a finished sketch
 * becomes: a split (core splitZone: the zone and the zones below it along the same line, the
 * pieces named （分）) or a new zone inside the parent under its first point (core drawZone). Either
 * selects the new zone, returns to select mode and says what happened; `onMade` opens its
 * attributes.
 */
export function useSketchMode(
  session: EditSessionState,
  geometry: MapData['geometry'],
  selection: Selection,
  commands: EditCommands,
  canEdit: boolean,
  nameOf: (id: string) => string,
  onMade: () => void,
) {
  const { t } = useI18n();
  const [mode, setMode] = useState<EditMode>('select');
  const [sketchPoints, setSketchPoints] = useState(0);

  const finishSketch = (points: Position[], sketchMode: 'draw' | 'split') => {
    const { layer, layered, features } = session;
    if (!canEdit || !isZoneLayer(layer)) return;
    const taken = new Set([...features.keys(), ...(geometry[layer]?.features.map((f) => f.id) ?? [])]);
    const made = (id: string, text: string) => {
      selection.setSelectedIds([id]);
      onMade();
      setMode('select');
      commands.setNotice({ kind: 'info', text });
    };
    if (sketchMode === 'split') {
      const target = selection.selectedIds.length === 1 ? selection.selectedIds[0]! : null;
      let split;
      try {
        split = splitZone({ layer, session: layered, target, line: points, taken });
      } catch (error) {
        return commands.refuse(error);
      }
      commands.commit(split.change);
      made(
        split.newId,
        t('plan.notice.split', { name: nameOf(split.id) }) +
          (split.splitBelow > 0 ? t('plan.notice.childrenSplit', { count: split.splitBelow }) : '') +
          (split.moved > 0 ? t('plan.notice.childrenFollowed', { count: split.moved, layer: t('plan.notice.lowerZones') }) : ''),
      );
      return;
    }
    // A new zone: inside the parent (as loaded) under its first point, cut out of the siblings there.
    const parentLayer = PARENT_OF[layer];
    const parents: readonly AreaFeature[] = parentLayer && geometry[parentLayer] ? storedFeatures(geometry[parentLayer], parentLayer) : [];
    const parent = parentOfOutline(layer, parents, points);
    if (parentLayer && !parent) return commands.setNotice({ kind: 'error', text: t('plan.notice.noParent') });
    let drawn;
    try {
      drawn = drawZone({ layer, session: layered, parent, outline: points, taken, nameFor: (n) => t('plan.newZoneName', { n }) });
    } catch (error) {
      return commands.refuse(error);
    }
    commands.commit(drawn.change);
    made(drawn.id, t('plan.notice.drawn') + childrenFollowedText(t, layer, drawn.moved));
  };

  return { mode, setMode, sketchPoints, setSketchPoints, finishSketch };
}
