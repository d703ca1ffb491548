/** An issue as the map draws it: where, and whether it is late. */
export interface IssuePoint {
  id: string;
  lon: number;
  lat: number;
  overdue: boolean;
  status: string;
  /** A thumbnail URL of its latest photo (the screen's new-issue ring shows it). */
  photo?: string;
}

/** How issue points are drawn: single points, a heat map, or hexagon bins. */
export const ISSUE_MODES = ['points', 'heat', 'hexagon'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];

/** Which map layers are switched on. */
export interface LayerVisibility {
  streets: boolean;
  communities: boolean;
  grids: boolean;
  roads: boolean;
  checkpoints: boolean;
  /** Excluded areas (rivers, enclaves, land others manage), hatched. */
  excluded: boolean;
  /** The district's outline. */
  outline: boolean;
  issues: boolean;
  basemap: boolean;
}

/** Everything on except the optional basemap (which needs a key and the internet). */
export const DEFAULT_VISIBILITY: LayerVisibility = {
  streets: true,
  communities: true,
  grids: true,
  roads: true,
  checkpoints: true,
  excluded: true,
  outline: true,
  issues: true,
  basemap: false,
};
