import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ImportProblem } from '../../../core/import/import-report';
import { layerQueryOptions } from '../../api/layer';
import { useI18n } from '../../i18n/i18n';

type Ring = number[][];

function ringsOf(geometry: unknown): Ring[] {
  const g = geometry as { type?: string; coordinates?: unknown };
  if (g?.type === 'Polygon') return g.coordinates as Ring[];
  if (g?.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
}

/**
 * Where the report's problems are: the stored streets and communities as outlines (plain SVG, no
 * map library, nothing fetched from outside) with a dot for each problem that has a location, over
 * the extent of the district and of the imported files. The selected problem is drawn larger.
 */
export function ProblemMap({
  problems,
  extent,
  selected,
  onSelect,
}: {
  problems: readonly ImportProblem[];
  extent: readonly (readonly [number, number, number, number] | null)[];
  selected: number | null;
  onSelect: (index: number) => void;
}) {
  const { t } = useI18n();
  const streets = useQuery(layerQueryOptions('streets'));
  const communities = useQuery(layerQueryOptions('communities'));
  const drawing = useMemo(() => {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const grow = (x: number, y: number) => {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    };
    for (const f of streets.data?.features ?? []) for (const ring of ringsOf(f.geometry)) for (const [x, y] of ring) grow(x, y);
    for (const box of extent) if (box) (grow(box[0], box[1]), grow(box[2], box[3]));
    for (const p of problems) if (p.location) grow(p.location[0], p.location[1]);
    if (!Number.isFinite(minX) || maxX === minX || maxY === minY) return null;
    const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
    const width = 600;
    const scale = width / ((maxX - minX) * kx);
    const height = Math.min(600, Math.ceil((maxY - minY) * scale));
    const sx = (x: number) => (x - minX) * kx * scale;
    const sy = (y: number) => (maxY - y) * scale;
    const path = (geometry: unknown) =>
      ringsOf(geometry)
        .map((ring) => 'M' + ring.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('L') + 'Z')
        .join('');
    return {
      width,
      height,
      outlines: [
        ...(communities.data?.features ?? []).map((f) => ({ id: `c:${f.id}`, d: path(f.geometry), kind: 'community' })),
        ...(streets.data?.features ?? []).map((f) => ({ id: `s:${f.id}`, d: path(f.geometry), kind: 'street' })),
      ],
      dots: problems.flatMap((p, i) => (p.location ? [{ i, x: sx(p.location[0]), y: sy(p.location[1]), severity: p.severity }] : [])),
    };
  }, [streets.data, communities.data, problems, extent]);

  if (!drawing) return null;
  return (
    <figure className="import-map">
      <figcaption>{t('import.map')}</figcaption>
      <svg viewBox={`-8 -8 ${drawing.width + 16} ${drawing.height + 16}`} role="img" aria-label={t('import.map')}>
        {drawing.outlines.map((o) => (
          <path key={o.id} d={o.d} className={`import-map-${o.kind}`} />
        ))}
        {drawing.dots.map((d) => (
          <circle
            key={d.i}
            cx={d.x}
            cy={d.y}
            r={d.i === selected ? 9 : 5}
            className={`import-map-dot ${d.severity}${d.i === selected ? ' selected' : ''}`}
            onClick={() => onSelect(d.i)}
          >
            <title>{problems[d.i].message}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
