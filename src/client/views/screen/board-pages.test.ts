import { describe, expect, it } from 'vitest';
import { boardPages, splitSegmentName, type BoardBlock } from './board-pages';

/** A group: a heading 30 px tall and `rows` rows of 35 px (30 px row, 5 px gap). */
function group(top: number, rows: number): BoardBlock[] {
  const out: BoardBlock[] = [{ top, bottom: top + 30, keepWithNext: true }];
  for (let r = 0; r < rows; r++) out.push({ top: top + 35 + r * 35, bottom: top + 65 + r * 35 });
  return out;
}

describe('boardPages', () => {
  it('starts every page at a whole block and never cuts one', () => {
    const blocks = [...group(0, 5), ...group(210, 4), ...group(385, 6)];
    const pages = boardPages(blocks, 150);
    const starts = new Set(blocks.map((b) => b.top));
    for (const p of pages) {
      expect(starts.has(p.top)).toBe(true);
      expect(p.height).toBeLessThanOrEqual(150);
      // The next block after the page does not fit: the page is as full as it can be.
    }
    // Every block is on exactly one page, whole.
    for (const b of blocks) expect(pages.filter((p) => b.top >= p.top && b.bottom <= p.top + p.height)).toHaveLength(1);
  });

  it('moves a heading that would end a page to the next page with its first row', () => {
    // Rows of group one fill to 170; group two's heading (180–210) fits in 220 but its row (215–245) does not.
    const blocks = [...group(0, 4), ...group(180, 2)];
    const pages = boardPages(blocks, 220);
    expect(pages[0]).toEqual({ top: 0, height: 170 });
    expect(pages[1].top).toBe(180);
  });

  it('gives a block taller than the viewport a page of its own, and nothing for nothing', () => {
    expect(boardPages([{ top: 0, bottom: 500 }, { top: 505, bottom: 535 }], 100)).toEqual([
      { top: 0, height: 500 },
      { top: 505, height: 30 },
    ]);
    expect(boardPages([], 100)).toEqual([]);
  });
});

describe('splitSegmentName', () => {
  it('keeps the ends that tell same-named road segments apart', () => {
    expect(splitSegmentName('江汉大道（区界至解放路段）')).toEqual({ base: '江汉大道', segment: '区界→解放路' });
    expect(splitSegmentName('江汉大道（解放路至章华路）')).toEqual({ base: '江汉大道', segment: '解放路→章华路' });
    expect(splitSegmentName('人民公园')).toEqual({ base: '人民公园', segment: null });
    expect(splitSegmentName('中医院（城南院区）')).toEqual({ base: '中医院（城南院区）', segment: null });
  });
});
