import type { AreaFeature, EditableFeature, Position, VertexRef } from './edit-types';
import { metresPerDegree } from '../geometry/geo-distance';
import { polygonsOf } from '../geometry/geometry-parts';

/** Where a pointer snapped: onto a vertex, or onto the nearest point of an edge. */
export interface Snap {
  kind: 'vertex' | 'edge';
  point: Position;
  /** The vertex, or the edge's first vertex (the edge runs to index + 1). */
  ref: VertexRef;
  distanceM: number;
}

export interface SnapOptions {
  /** Snap only within this distance, in metres (the editor converts a few pixels at the zoom). */
  toleranceM: number;
  /** Features not to snap to (the one being edited, for instance). */
  exclude?: ReadonlySet<string>;
  /** Skip this exact vertex (the one being dragged). */
  skip?: Position;
}

/**
 * Snaps a point to the nearest vertex of `features` within the tolerance, or failing that to the
 * nearest point on an edge within it; null when nothing is that close. Vertices win over edges
 * so that a dragged corner lands exactly (bit-equal) on a neighbour's corner. Distances are
 * planar on a local scale of metres per degree: precise to well under 1 % within a district.
 */
export function snapPoint(point: Position, features: Iterable<EditableFeature>, options: SnapOptions): Snap | null {
  const scale = metresPerDegree(point[1]);
  const tol = options.toleranceM;
  const padX = tol / scale.x;
  const padY = tol / scale.y;
  let best: Snap | null = null;
  let bestEdge: Snap | null = null;
  for (const feature of features) {
    if (options.exclude?.has(feature.id)) continue;
    if (feature.geometry.type !== 'Polygon' && feature.geometry.type !== 'MultiPolygon') continue;
    const parts = polygonsOf((feature as AreaFeature).geometry);
    for (let p = 0; p < parts.length; p++) {
      for (let r = 0; r < parts[p].length; r++) {
        const ring = parts[p][r];
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i];
          const b = ring[i + 1];
          if (Math.min(a[0], b[0]) - padX > point[0] || Math.max(a[0], b[0]) + padX < point[0]) continue;
          if (Math.min(a[1], b[1]) - padY > point[1] || Math.max(a[1], b[1]) + padY < point[1]) continue;
          const skipA = options.skip && a[0] === options.skip[0] && a[1] === options.skip[1];
          if (!skipA) {
            const d = Math.hypot((a[0] - point[0]) * scale.x, (a[1] - point[1]) * scale.y);
            if (d <= tol && (!best || d < best.distanceM)) best = { kind: 'vertex', point: [a[0], a[1]], ref: { featureId: feature.id, part: p, ring: r, index: i }, distanceM: d };
          }
          if (options.skip && ((a[0] === options.skip[0] && a[1] === options.skip[1]) || (b[0] === options.skip[0] && b[1] === options.skip[1]))) continue;
          const ax = (a[0] - point[0]) * scale.x;
          const ay = (a[1] - point[1]) * scale.y;
          const bx = (b[0] - point[0]) * scale.x;
          const by = (b[1] - point[1]) * scale.y;
          const dx = bx - ax;
          const dy = by - ay;
          const len2 = dx * dx + dy * dy;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
          const d = Math.hypot(ax + t * dx, ay + t * dy);
          if (d <= tol && (!bestEdge || d < bestEdge.distanceM) && t > 0 && t < 1) {
            bestEdge = {
              kind: 'edge',
              point: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])],
              ref: { featureId: feature.id, part: p, ring: r, index: i },
              distanceM: d,
            };
          }
        }
      }
    }
  }
  return best ?? bestEdge;
}
