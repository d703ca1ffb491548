import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CheckpointState } from '../../../core/api/api-schema';
import { CHECKPOINT_CATEGORY_LABELS, type CheckpointCategory } from '../../../core/district/catalog';
import { useI18n } from '../../i18n/i18n';

/** How long each page of the board stays before it moves on (ms), and how long the move takes. */
export const BOARD_PAGE_MS = 6000;
const BOARD_MOVE_MS = 900;

export interface CheckpointGroup {
  category: string;
  items: CheckpointState[];
  overdue: number;
  open: number;
}

/** Checkpoints grouped by category, in the order they come (the API's catalogue order). */
export function groupCheckpoints(checkpoints: readonly CheckpointState[]): CheckpointGroup[] {
  const groups = new Map<string, CheckpointGroup>();
  for (const c of checkpoints) {
    let g = groups.get(c.category);
    if (!g) groups.set(c.category, (g = { category: c.category, items: [], overdue: 0, open: 0 }));
    g.items.push(c);
    if (c.state === 'overdue') g.overdue++;
    else if (c.state === 'open') g.open++;
  }
  return [...groups.values()];
}

/**
 * The evaluation checkpoints grouped by category with their state (no issue / open / overdue).
 * When the groups are taller than the panel the board pages by itself: every few seconds it moves
 * up by most of its height, in a seamless loop (the list is drawn twice; after the first copy it
 * jumps back without a transition). One timer; nothing to click; nothing that grows; and between
 * moves nothing animates, so an unattended screen costs no CPU while it is still.
 */
export function CheckpointBoard({ checkpoints }: { checkpoints: readonly CheckpointState[] | undefined }) {
  const { t, label } = useI18n();
  const groups = useMemo(() => groupCheckpoints(checkpoints ?? []), [checkpoints]);
  const totals = useMemo(() => {
    const out = { clear: 0, open: 0, overdue: 0 };
    for (const c of checkpoints ?? []) out[c.state]++;
    return out;
  }, [checkpoints]);
  const viewport = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [sizes, setSizes] = useState<{ view: number; list: number } | null>(null);
  const [offset, setOffset] = useState({ px: 0, animate: false });

  useLayoutEffect(() => {
    const view = viewport.current;
    const list = content.current;
    if (!view || !list) return;
    const measure = () => setSizes({ view: view.clientHeight, list: list.offsetHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(view);
    observer.observe(list);
    return () => observer.disconnect();
  }, [groups]);

  const viewHeight = sizes?.view ?? 0;
  const listHeight = sizes?.list ?? 0;
  const scrolls = listHeight > viewHeight + 1;
  useEffect(() => {
    setOffset({ px: 0, animate: false });
    if (!scrolls) return;
    const step = Math.max(1, Math.round(viewHeight * 0.8));
    let settle: ReturnType<typeof setTimeout> | undefined;
    let px = 0;
    const timer = setInterval(() => {
      px += step;
      setOffset({ px, animate: true });
      if (px >= listHeight) {
        // Into the second copy: once there, jump back to the same place in the first, unseen.
        px -= listHeight;
        const back = px;
        settle = setTimeout(() => setOffset({ px: back, animate: false }), BOARD_MOVE_MS + 50);
      }
    }, BOARD_PAGE_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(settle);
    };
  }, [scrolls, viewHeight, listHeight]);

  const list = (copy: boolean) => (
    <div className="board-list" ref={copy ? undefined : content} aria-hidden={copy || undefined}>
      {groups.map((g) => (
        <section key={g.category} className="board-group">
          <h3>
            <span>{label(CHECKPOINT_CATEGORY_LABELS[g.category as CheckpointCategory], g.category)}</span>
            <small>
              {g.items.length}
              {g.overdue > 0 && <em className="overdue"> · {t('screen.board.overdue')} {g.overdue}</em>}
              {g.open > 0 && <em className="open"> · {t('screen.board.open')} {g.open}</em>}
            </small>
          </h3>
          <ul>
            {g.items.map((c) => (
              <li key={c.id} className={`board-item ${c.state}`} data-state={c.state} data-id={copy ? undefined : c.id} title={c.code}>
                <i />
                <span className="board-name">{c.name}</span>
                {c.open > 0 && <b>{c.open}</b>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );

  return (
    <section className="screen-panel checkpoint-board" data-testid="checkpoint-board">
      <h2 className="panel-title">
        {t('screen.board.title')}
        <small>{checkpoints ? checkpoints.length : ''}</small>
      </h2>
      <div className="board-totals">
        <span className="clear" data-testid="board-clear">
          <b>{totals.clear}</b>
          {t('screen.board.clear')}
        </span>
        <span className="open" data-testid="board-open">
          <b>{totals.open}</b>
          {t('screen.board.open')}
        </span>
        <span className="overdue" data-testid="board-overdue">
          <b>{totals.overdue}</b>
          {t('screen.board.overdue')}
        </span>
      </div>
      <div className="board-viewport" ref={viewport}>
        {!checkpoints ? (
          <div className="panel-empty">{t('screen.loading')}</div>
        ) : (
          <div
            className="board-track"
            data-offset={offset.px}
            style={{ transform: `translateY(${-offset.px}px)`, transition: offset.animate ? `transform ${BOARD_MOVE_MS}ms ease-in-out` : 'none' }}
          >
            {list(false)}
            {scrolls && list(true)}
          </div>
        )}
      </div>
    </section>
  );
}
