import { MapboxOverlay } from '@deck.gl/mapbox';
import { ScatterplotLayer } from '@deck.gl/layers';
import { HeatmapLayer, HexagonLayer } from '@deck.gl/aggregation-layers';
import type { IssueMode, IssuePoint } from './issue-points';

/**
 * The deck.gl overlay for dense issue points: loaded on demand (its own chunk) when issues are
 * switched on, so the first paint of the page does not wait for deck.gl.
 */
export interface IssueOverlay {
  readonly control: MapboxOverlay;
  update(points: readonly IssuePoint[], mode: IssueMode, visible: boolean): void;
}

const OVERDUE: [number, number, number, number] = [185, 28, 28, 230];
const OPEN: [number, number, number, number] = [234, 88, 12, 210];
const HEX_COLOURS: [number, number, number][] = [
  [255, 237, 160],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

/**
 * Creates the overlay; add `control` to the map with `map.addControl`. `pixelRatio` is the map's
 * (maplibre `getPixelRatio()`): on the large screen the map is CSS-scaled and renders at
 * scale × DPR, and deck.gl's own canvas has to match it or its points come out blurred at 4K.
 */
export function createIssueOverlay(pixelRatio: () => number): IssueOverlay {
  let ratio = pixelRatio();
  const control = new MapboxOverlay({ interleaved: false, layers: [], useDevicePixels: ratio });
  return {
    control,
    update(points, mode, visible) {
      if (pixelRatio() !== ratio) {
        ratio = pixelRatio();
        control.setProps({ useDevicePixels: ratio });
      }
      const data = points as IssuePoint[];
      const getPosition = (d: IssuePoint): [number, number] => [d.lon, d.lat];
      const layers = !visible
        ? []
        : mode === 'heat'
          ? [new HeatmapLayer<IssuePoint>({ id: 'issues-heat', data, getPosition, radiusPixels: 40, intensity: 1, threshold: 0.04 })]
          : mode === 'hexagon'
            ? [
                new HexagonLayer<IssuePoint>({
                  id: 'issues-hexagon',
                  data,
                  getPosition,
                  radius: 250,
                  coverage: 0.9,
                  extruded: false,
                  opacity: 0.7,
                  colorRange: HEX_COLOURS,
                }),
              ]
            : [
                new ScatterplotLayer<IssuePoint>({
                  id: 'issues-points',
                  data,
                  getPosition,
                  getFillColor: (d) => (d.overdue ? OVERDUE : OPEN),
                  getLineColor: [255, 255, 255, 220],
                  stroked: true,
                  lineWidthMinPixels: 1,
                  radiusUnits: 'pixels',
                  getRadius: 4,
                  radiusMinPixels: 2.5,
                  updateTriggers: { getFillColor: points.length },
                }),
              ];
      control.setProps({ layers });
    },
  };
}
