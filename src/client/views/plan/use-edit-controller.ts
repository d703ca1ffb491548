import { useEffect, useMemo, useRef } from 'react';
import { EditController, type EditCallbacks, type EditMapState } from '../../map/edit-controller';

/**
 * The map side of the editor: one EditController for the page's life (client/map draws handles,
 * sketches and highlights and reports pointer edits), fed the view's state whenever a part of it
 * changes. The controller calls the latest `callbacks` (kept in a ref), so it never has to be
 * rebuilt and the map never re-renders for a new closure.
 */
export function useEditController(callbacks: EditCallbacks, state: EditMapState): EditController {
  const latest = useRef(callbacks);
  latest.current = callbacks;
  const controller = useMemo(
    () =>
      new EditController({
        onSelect: (p, a, m) => latest.current.onSelect(p, a, m),
        onChange: (c) => latest.current.onChange(c),
        onVertexSelect: (r) => latest.current.onVertexSelect(r),
        onVertexDelete: (r) => latest.current.onVertexDelete(r),
        onSketchFinish: (p, m) => latest.current.onSketchFinish(p, m),
        onSketchChange: (n) => latest.current.onSketchChange?.(n),
      }),
    [],
  );
  const { mode, features, editableGeometry, selectedIds, selectedVertex, snapping, touchedIds, problems, impact, outlines } = state;
  useEffect(() => {
    controller.update({ mode, features, editableGeometry, selectedIds, selectedVertex, snapping, touchedIds, problems, impact, outlines });
  }, [controller, mode, features, editableGeometry, selectedIds, selectedVertex, snapping, touchedIds, problems, impact, outlines]);
  return controller;
}
