import { useEffect, useRef } from 'react';
import type { EditController, EditMode } from '../../map/edit-controller';

export interface EditKeys {
  /** Keys do nothing while a dialog is open. */
  blocked: boolean;
  mode: EditMode;
  setMode: (mode: EditMode) => void;
  controller: EditController;
  /** Ctrl+Z: undo; with Shift (`redo` true): redo. */
  onUndoKey: (redo: boolean) => void;
  /** Ctrl+Y: redo. */
  onRedoKey: () => void;
  /** Delete or Backspace in select mode: deletes the selected vertex; null when there is none to delete. */
  onDeleteVertex: (() => void) | null;
}

/**
 * The editor's keyboard: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo (⌘ on a Mac); while sketching,
 * Enter finishes, Escape cancels and Delete/Backspace takes back the last point; in select mode,
 * Delete/Backspace deletes the selected vertex. Not while typing in a field. Leaving the page with
 * unsaved edits is the session's (use-edit-session).
 */
export function useEditKeys(keys: EditKeys): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { blocked, mode, setMode, controller, onUndoKey, onRedoKey, onDeleteVertex } = latest.current;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      if (blocked) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        onUndoKey(e.shiftKey);
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        onRedoKey();
      } else if (e.key === 'Enter' && mode !== 'select') {
        controller.finishSketch();
      } else if (e.key === 'Escape') {
        if (mode !== 'select') setMode('select');
        controller.cancelSketch();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && mode !== 'select') {
        controller.undoSketchPoint();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && onDeleteVertex) {
        e.preventDefault();
        onDeleteVertex();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
