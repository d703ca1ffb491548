import type { LayerParam } from '../../core/api/api-schema';

/**
 * Colour classes of open-issue counts. A street gathers the issues of dozens of grids, so each
 * layer has its own breaks; the colours are the same everywhere so the legend reads one way.
 * Pure data: the legend (plain React) and the map style (maplibre expressions) both use it.
 */
export interface CountClasses {
  /** Lower bounds of the classes after "none" (0): class i covers breaks[i] … breaks[i+1]-1. */
  breaks: readonly number[];
}

/** Colour of a feature with no open issue. */
export const NONE_COLOUR = '#b9dfc4';
/** Colours of the classes, light to dark: more open issues, warmer and darker. */
export const CLASS_COLOURS = ['#fde68a', '#fbbf24', '#f97316', '#dc2626'] as const;
/** Outline of features with overdue issues. */
export const OVERDUE_COLOUR = '#7f1d1d';

export const COUNT_CLASSES: Record<LayerParam, CountClasses> = {
  streets: { breaks: [1, 20, 40, 80] },
  communities: { breaks: [1, 4, 8, 15] },
  grids: { breaks: [1, 2, 4, 7] },
  roads: { breaks: [1, 2, 4, 7] },
  checkpoints: { breaks: [1, 2, 4, 7] },
  // Excluded areas and the outline are not coloured by counts (issues there go to their managing unit or the office).
  excluded: { breaks: [1, 2, 4, 7] },
  outline: { breaks: [1, 20, 40, 80] },
};

/** The colour of `open` issues on `layer` (the same rule the map expression applies). */
export function colourOf(layer: LayerParam, open: number): string {
  const { breaks } = COUNT_CLASSES[layer];
  let colour: string = NONE_COLOUR;
  breaks.forEach((lower, i) => {
    if (open >= lower) colour = CLASS_COLOURS[i];
  });
  return colour;
}

/** Legend rows of a layer: label range and colour, "0" first. */
export function legendRows(layer: LayerParam): { from: number; to: number | null; colour: string }[] {
  const { breaks } = COUNT_CLASSES[layer];
  return [
    { from: 0, to: 0, colour: NONE_COLOUR },
    ...breaks.map((from, i) => ({
      from,
      to: i + 1 < breaks.length ? breaks[i + 1] - 1 : null,
      colour: CLASS_COLOURS[i],
    })),
  ];
}

/**
 * A maplibre `step` expression colouring by the `open` feature-state of `layer`. Features whose
 * counts have not arrived yet read as 0 (feature-state is absent until counts are applied).
 */
export function countColourExpression(layer: LayerParam): unknown[] {
  const { breaks } = COUNT_CLASSES[layer];
  const steps: unknown[] = [];
  breaks.forEach((lower, i) => steps.push(lower, CLASS_COLOURS[i]));
  return ['step', ['coalesce', ['feature-state', 'open'], 0], NONE_COLOUR, ...steps];
}
