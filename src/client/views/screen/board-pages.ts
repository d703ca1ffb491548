/** A piece of the checkpoint board that must not be cut: a group heading or one row of checkpoints. */
export interface BoardBlock {
  /** Pixels from the top of the list. */
  top: number;
  bottom: number;
  /** A heading: it never ends a page (it goes with the row under it). */
  keepWithNext?: boolean;
}

/** One page of the board: where it starts and how much of the viewport its whole blocks fill. */
export interface BoardPage {
  top: number;
  /** Height of the whole blocks on the page (≤ the viewport, except for a block taller than it). */
  height: number;
}

/**
 * Splits the board into pages of whole blocks for a viewport `viewHeight` tall: each page starts
 * at the top of a block and holds the blocks that fit whole; a heading that would end a page
 * starts the next one instead. A block taller than the viewport is a page of its own. Blocks are
 * in list order; none overlap.
 */
export function boardPages(blocks: readonly BoardBlock[], viewHeight: number): BoardPage[] {
  const pages: BoardPage[] = [];
  let i = 0;
  while (i < blocks.length) {
    const top = blocks[i].top;
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1].bottom - top <= viewHeight) j++;
    // A heading at the bottom of a page goes to the next page with its first row.
    while (j > i && blocks[j].keepWithNext && j + 1 < blocks.length) j--;
    pages.push({ top, height: blocks[j].bottom - top });
    i = j + 1;
  }
  return pages;
}

/**
 * The blocks of a rendered board list: each group's heading, and each row of its checkpoints
 * (items side by side share a row), measured relative to the list's top.
 */
export function measureBoardBlocks(list: HTMLElement): BoardBlock[] {
  const origin = list.getBoundingClientRect().top;
  const blocks: BoardBlock[] = [];
  for (const group of list.querySelectorAll<HTMLElement>('.board-group')) {
    const heading = group.querySelector('h3');
    if (heading) {
      const r = heading.getBoundingClientRect();
      blocks.push({ top: r.top - origin, bottom: r.bottom - origin, keepWithNext: true });
    }
    let row: BoardBlock | null = null;
    for (const item of group.querySelectorAll<HTMLElement>('li')) {
      const r = item.getBoundingClientRect();
      const top = r.top - origin;
      const bottom = r.bottom - origin;
      if (row && Math.abs(top - row.top) < 1) row.bottom = Math.max(row.bottom, bottom);
      else blocks.push((row = { top, bottom }));
    }
  }
  return blocks;
}

/**
 * A checkpoint named after a road segment, "江汉大道（区界至解放路段）", split into the road and
 * its segment "区界→解放路", so that a narrow board cell can shorten the road's name and keep the
 * ends that tell two segments apart. Other names come back whole with no segment.
 */
export function splitSegmentName(name: string): { base: string; segment: string | null } {
  const m = /^(.+?)[（(]\s*(.+?)\s*至\s*(.+?)\s*段?\s*[)）]$/.exec(name);
  return m ? { base: m[1], segment: `${m[2]}→${m[3]}` } : { base: name, segment: null };
}
