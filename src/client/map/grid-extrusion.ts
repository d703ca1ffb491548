import { MapboxOverlay } from '@deck.gl/mapbox';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CountsResponse } from '../../core/api/api-schema';
import { colourOf } from './count-classes';
import type { LayerCollection, LayerFeature } from './map-data';

/** Metres of height per open issue: a grid with 7 open issues stands about 600 m tall. */
export const METRES_PER_OPEN_ISSUE = 90;

/**
 * Grids extruded by their open issues (deck.gl, drawn over the map, translucent so that the
 * checkpoints and labels under the columns still show). Loaded on demand: only the large screen with `?3d=1` pays for it.
 * The polygons are tessellated once per geometry; a counts change only recomputes heights and
 * colours (deck.gl update triggers), like feature-state on the flat map.
 */
export interface GridExtrusion {
  update(grids: LayerCollection | undefined, counts: CountsResponse['counts'] | undefined): void;
  remove(): void;
}

/** Adds the extrusion overlay to `map`; `remove()` takes it off again (and frees its GPU buffers). */
export function addGridExtrusion(map: MapLibreMap): GridExtrusion {
  // Its own canvas over the map (like the issue points): deck.gl's interleaved mode misreads the
  // render arguments of this maplibre version ("reading 'height'" on every frame).
  // At the map's pixel ratio, which on the large screen is scale × DPR (see issue-overlay.ts).
  let ratio = map.getPixelRatio();
  const overlay = new MapboxOverlay({ interleaved: false, layers: [], useDevicePixels: ratio });
  map.addControl(overlay);
  let removed = false;
  return {
    update(grids, counts) {
      if (removed || !grids) return;
      if (map.getPixelRatio() !== ratio) {
        ratio = map.getPixelRatio();
        overlay.setProps({ useDevicePixels: ratio });
      }
      const open = (f: LayerFeature) => counts?.[f.id]?.open ?? 0;
      overlay.setProps({
        layers: [
          new GeoJsonLayer<Record<string, unknown>>({
            id: 'grid-extrusion',
            data: grids as never,
            extruded: true,
            wireframe: false,
            stroked: false,
            opacity: 0.75,
            getElevation: (f: unknown) => open(f as LayerFeature) * METRES_PER_OPEN_ISSUE,
            getFillColor: (f: unknown) => hexToRgb(colourOf('grids', open(f as LayerFeature))),
            material: { ambient: 0.55, diffuse: 0.5, shininess: 16 },
            updateTriggers: { getElevation: counts, getFillColor: counts },
            transitions: { getElevation: 600 },
          } as never),
        ],
      });
    },
    remove() {
      if (removed) return;
      removed = true;
      map.removeControl(overlay);
      overlay.finalize();
    },
  };
}

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
