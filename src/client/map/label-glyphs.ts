import type { LayerCollection } from './map-data';

/**
 * Which label characters the map will draw at the zoom it opens at, so that their glyphs can be
 * drawn while maplibre's worker is still cutting the tiles (see DistrictMap's geometry effect).
 *
 * With no glyph server, maplibre draws every glyph of a label with TinySDF on the main thread, and
 * only when the worker asks for it: the worker cuts a tile, lays out its labels, asks the main thread
 * for the glyphs and waits, while the main thread is busy drawing the frames of the tiles that came
 * before. On /plan that was 132 glyphs (0.5–0.9 s of the main thread) on the path to the first
 * complete map. Drawn as soon as the names arrive, they are ready when the worker asks. The same
 * glyphs, the same labels; only when they are drawn moves.
 */

/** A symbol layer of the style whose text is one of these collections' `name` property. */
export interface NameLabelLayer {
  /** Zoom range in which the layer is drawn (the style layer's minzoom and maxzoom). */
  minzoom: number;
  maxzoom: number;
  visible: boolean;
  collection: LayerCollection | undefined;
}

/**
 * Whether maplibre lays out a symbol layer's labels in the tiles it loads at map zoom `zoom`:
 * GeoJSON tiles are loaded at the whole zoom below (`floor`), and the worker keeps a layer for a tile
 * zoom from floor(minzoom) up to, not including, maxzoom.
 */
export function labelsLaidOutAt(zoom: number, minzoom: number, maxzoom: number): boolean {
  const tileZoom = Math.floor(zoom);
  return tileZoom >= Math.floor(minzoom) && tileZoom < maxzoom;
}

/**
 * The distinct characters (grapheme by grapheme; every CJK character is one) of the names the
 * visible label layers show at `zoom`, plus `extra` (e.g. the digits of cluster counts). Empty
 * when nothing is labelled there. Names that are not strings are skipped.
 */
export function labelCharacters(zoom: number, layers: readonly NameLabelLayer[], extra = ''): string[] {
  const chars = new Set<string>();
  const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
  const add = (text: string) => {
    for (const { segment } of segmenter.segment(text)) if (segment.trim()) chars.add(segment);
  };
  for (const layer of layers) {
    if (!layer.visible || !layer.collection || !labelsLaidOutAt(zoom, layer.minzoom, layer.maxzoom)) continue;
    for (const feature of layer.collection.features) {
      const name = feature.properties.name;
      if (typeof name === 'string') add(name);
    }
  }
  add(extra);
  return [...chars];
}
