import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CheckpointState } from '../../../core/api/api-schema';
import { CHECKPOINT_CATEGORY_LABELS, type CheckpointCategory } from '../../../core/district/catalog';
import { useI18n } from '../../i18n/i18n';
import { boardPages, measureBoardBlocks, splitSegmentName, type BoardPage } from './board-pages';

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
 * to the next page of whole rows (board-pages.ts: no row or heading is cut, a heading never ends a
 * page, and what lies below the page's last whole row is hidden), in a seamless loop (the list is
 * drawn twice; after the last page it moves on to the copy's top and jumps back without a
 * transition; with prefers-reduced-motion the pages replace each other without moving). One timer; nothing to click; nothing that grows; and between moves nothing
 * animates, so an unattended screen costs no CPU while it is still.
 * Memoised: the screen renders at every poll (fetch states); this re-renders only when its data changes.
 */
export const CheckpointBoard = memo(function CheckpointBoard({ checkpoints }: { checkpoints: readonly CheckpointState[] | undefined }) {
  const { t, label } = useI18n();
  const groups = useMemo(() => groupCheckpoints(checkpoints ?? []), [checkpoints]);
  const totals = useMemo(() => {
    const out = { clear: 0, open: 0, overdue: 0 };
    for (const c of checkpoints ?? []) out[c.state]++;
    return out;
  }, [checkpoints]);
  const viewport = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [sizes, setSizes] = useState<{ view: number; list: number; pages: BoardPage[] } | null>(null);
  const [offset, setOffset] = useState({ px: 0, animate: false, visible: 0 });

  useLayoutEffect(() => {
    const view = viewport.current;
    const list = content.current;
    if (!view || !list) return;
    const measure = () => setSizes({ view: view.clientHeight, list: list.offsetHeight, pages: boardPages(measureBoardBlocks(list), view.clientHeight) });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(view);
    observer.observe(list);
    return () => observer.disconnect();
  }, [groups]);

  const viewHeight = sizes?.view ?? 0;
  const listHeight = sizes?.list ?? 0;
  const pages = useMemo(() => sizes?.pages ?? [], [sizes]);
  const scrolls = listHeight > viewHeight + 1 && pages.length > 1;
  const reduceMotion = useReducedMotion();
  useEffect(() => {
    // The first page starts at its first block (the heading's margin lies above it), like every
    // later page: at 0 the page's rows would sit a margin lower than its clip was measured for.
    setOffset({ px: scrolls ? pages[0].top : 0, animate: false, visible: scrolls ? pages[0].height : 0 });
    if (!scrolls) return;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let page = 0;
    const timer = setInterval(() => {
      const from = pages[page];
      page = (page + 1) % pages.length;
      const to = pages[page];
      if (reduceMotion) {
        // The display asks for no motion: the next page replaces this one at once.
        setOffset({ px: to.top, animate: false, visible: to.height });
        return;
      }
      // After the last page the track moves on to the copy's top (it looks like the first page) and
      // jumps back to the first unseen. While it moves, what shows is the shorter of the two pages,
      // so no half row shows as it leaves or arrives; once there, the new page's whole rows.
      setOffset({ px: page === 0 ? listHeight + to.top : to.top, animate: true, visible: Math.min(from.height, to.height) });
      clearTimeout(settle);
      settle = setTimeout(() => setOffset({ px: to.top, animate: false, visible: to.height }), BOARD_MOVE_MS + 50);
    }, BOARD_PAGE_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(settle);
    };
  }, [scrolls, listHeight, pages, reduceMotion]);

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
              <li key={c.id} className={`board-item ${c.state}${splitSegmentName(c.name).segment ? ' wide' : ''}`} data-state={c.state} data-id={copy ? undefined : c.id} title={`${c.code} ${c.name}`}>
                <i />
                <BoardName name={c.name} />
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
      <div
        className="board-viewport"
        ref={viewport}
        // Hide what lies below the page's last whole row (a cut row or a heading without its row).
        style={scrolls && offset.visible > 0 ? { clipPath: `inset(0 0 ${Math.max(0, viewHeight - offset.visible)}px 0)` } : undefined}
      >
        {!checkpoints ? (
          <div className="panel-empty">{t('screen.loading')}</div>
        ) : (
          <div
            className="board-track"
            data-offset={offset.px}
            data-moving={offset.animate || undefined}
            style={{ transform: `translateY(${-offset.px}px)`, transition: offset.animate ? `transform ${BOARD_MOVE_MS}ms ease-in-out` : 'none' }}
          >
            {list(false)}
            {scrolls && list(true)}
          </div>
        )}
      </div>
    </section>
  );
});

/** Whether the display asks for reduced motion (prefers-reduced-motion), kept current. */
function useReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduce, setReduce] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const media = matchMedia(query);
    const update = () => setReduce(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return reduce;
}

/** A checkpoint's name; a road segment (its row spans the board's width) keeps its ends visible while the road's name gives way. */
function BoardName({ name }: { name: string }) {
  const { base, segment } = splitSegmentName(name);
  if (!segment) return <span className="board-name">{name}</span>;
  return (
    <span className="board-name board-name-segment">
      <span className="board-road">{base}</span>
      <span className="board-segment">{segment}</span>
    </span>
  );
}
