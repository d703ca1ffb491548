import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { interiorPoint } from '../../../core/geometry/interior-point';
import { layerQueryOptions } from '../../api/layer';
import { useI18n } from '../../i18n/i18n';

type Ring = number[][];

/** Outer and inner rings of a Polygon or MultiPolygon geometry. */
function ringsOf(geometry: unknown): Ring[] {
  const g = geometry as { type?: string; coordinates?: unknown };
  if (g?.type === 'Polygon') return g.coordinates as Ring[];
  if (g?.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
}

/** Share of the scale a count reaches: square root, so that a few busy grids do not wash out the rest. */
const shade = (count: number, max: number) => (max <= 0 || count <= 0 ? 0 : Math.sqrt(count / max));

/**
 * A static map for the printed bulletin: every grid as an SVG path, filled by how many issues were
 * reported in it during the period, with the street outlines on top. Plain SVG (no WebGL), so it
 * prints sharply and needs no map tiles. Longitudes are scaled by cos(latitude) to keep shapes true.
 */
export function ReportMap({ reportedByGrid }: { reportedByGrid: Record<string, number> }) {
  const { t } = useI18n();
  const grids = useQuery(layerQueryOptions('grids'));
  const streets = useQuery(layerQueryOptions('streets'));
  const max = Math.max(0, ...Object.values(reportedByGrid));
  const drawing = useMemo(() => {
    if (!grids.data || !streets.data) return null;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const f of streets.data.features) {
      for (const ring of ringsOf(f.geometry)) {
        for (const [x, y] of ring) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
    if (!Number.isFinite(minX)) return null;
    const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
    const width = 1000;
    const scale = width / ((maxX - minX) * kx);
    const height = Math.ceil((maxY - minY) * scale);
    const project = ([x, y]: number[]) => [(x - minX) * kx * scale, (maxY - y) * scale];
    const path = (geometry: unknown) =>
      ringsOf(geometry)
        .map((ring) => 'M' + ring.map(([x, y]) => `${((x - minX) * kx * scale).toFixed(1)},${((maxY - y) * scale).toFixed(1)}`).join('L') + 'Z')
        .join('');
    return {
      width,
      height,
      grids: grids.data.features.map((f) => ({ id: f.id, d: path(f.geometry) })),
      streets: streets.data.features.map((f) => {
        const at = interiorPoint(f.geometry as Parameters<typeof interiorPoint>[0]);
        return { id: f.id, d: path(f.geometry), name: String(f.properties.name ?? ''), label: at ? project(at) : null };
      }),
    };
  }, [grids.data, streets.data]);

  if (!drawing) return <p className="hint">{t('bulletin.map.loading')}</p>;
  return (
    <figure className="report-map">
      <svg viewBox={`0 0 ${drawing.width} ${drawing.height}`} role="img" aria-label={t('bulletin.map.title')}>
        {drawing.grids.map((g) => {
          const s = shade(reportedByGrid[g.id] ?? 0, max);
          return <path key={g.id} d={g.d} fill={s === 0 ? '#f8fafc' : `rgba(185, 28, 28, ${(0.12 + 0.88 * s).toFixed(3)})`} stroke="#cbd5e1" strokeWidth={0.6} />;
        })}
        {drawing.streets.map((s) => (
          <path key={s.id} d={s.d} fill="none" stroke="#334155" strokeWidth={2} />
        ))}
        {drawing.streets.map(
          (s) =>
            s.label && (
              <text key={s.id} x={s.label[0].toFixed(1)} y={s.label[1].toFixed(1)}>
                {s.name}
              </text>
            ),
        )}
      </svg>
      <figcaption>
        <span className="report-map-scale" aria-hidden="true" />
        {t('bulletin.map.legend', { max })}
      </figcaption>
    </figure>
  );
}
