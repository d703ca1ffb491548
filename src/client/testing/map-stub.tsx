import type { DistrictMapProps } from '../map/district-map';

/**
 * Stands in for the maplibre map in jsdom (no WebGL): shows what the view passed and offers a
 * button per grid to "tap" it, so views can be tested through their map callbacks.
 */
export function MapStub(props: DistrictMapProps) {
  const grids = props.geometry.grids?.features ?? [];
  return (
    <div data-testid="map-stub" data-marker={props.marker ? props.marker.join(',') : ''}>
      {grids.map((g) => {
        const ring = (g.geometry as { coordinates: number[][][] }).coordinates[0];
        const lon = (ring[0][0] + ring[2][0]) / 2;
        const lat = (ring[0][1] + ring[2][1]) / 2;
        return (
          <button
            key={g.id}
            type="button"
            data-testid={`tap-${g.id}`}
            data-open={props.counts.grids?.[g.id]?.open ?? ''}
            onClick={() => props.onPointClick?.([lon, lat], { layer: 'grids', id: g.id, name: String(g.properties.name), properties: g.properties })}
          >
            {g.id}
          </button>
        );
      })}
    </div>
  );
}
