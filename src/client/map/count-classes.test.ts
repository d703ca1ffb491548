import { describe, expect, it } from 'vitest';
import { CLASS_COLOURS, colourOf, countColourExpression, legendRows, NONE_COLOUR } from './count-classes';

describe('count classes', () => {
  it('colours grids by their open issues: none, then warmer with more', () => {
    expect(colourOf('grids', 0)).toBe(NONE_COLOUR);
    expect(colourOf('grids', 1)).toBe(CLASS_COLOURS[0]);
    expect(colourOf('grids', 3)).toBe(CLASS_COLOURS[1]);
    expect(colourOf('grids', 6)).toBe(CLASS_COLOURS[2]);
    expect(colourOf('grids', 50)).toBe(CLASS_COLOURS[3]);
  });

  it('gives the legend the same classes as the map expression', () => {
    const rows = legendRows('grids');
    expect(rows.map((r) => [r.from, r.to])).toEqual([[0, 0], [1, 1], [2, 3], [4, 6], [7, null]]);
    const expression = countColourExpression('grids');
    expect(expression.slice(0, 3)).toEqual(['step', ['coalesce', ['feature-state', 'open'], 0], NONE_COLOUR]);
    expect(expression.slice(3)).toEqual(rows.slice(1).flatMap((r) => [r.from, r.colour]));
  });
});
