import { describe, expect, it } from 'vitest';
import { checkLineGeometry, checkPointGeometry, checkRings } from './ring-check';

const where = { layer: 'grids' as const, featureId: 'G-1' };
const polygon = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });
const codes = (geometry: unknown) => checkRings(geometry, where).map((p) => p.code);

// Small coordinates near Wuhan; the ring checks are planar and scale-free.
const square: number[][] = [
  [114.30, 30.50],
  [114.31, 30.50],
  [114.31, 30.51],
  [114.30, 30.51],
  [114.30, 30.50],
];

describe('checkRings', () => {
  it('accepts a valid counter-clockwise square', () => {
    expect(checkRings(polygon(square), where)).toEqual([]);
  });

  it('finds the crossing of a bow-tie and says where it is', () => {
    const bowTie = [
      [114.30, 30.50],
      [114.31, 30.51],
      [114.31, 30.50],
      [114.30, 30.51],
      [114.30, 30.50],
    ];
    const problems = checkRings(polygon(bowTie), where);
    const crossing = problems.find((p) => p.code === 'self_intersection');
    expect(crossing).toMatchObject({ severity: 'error', layer: 'grids', featureId: 'G-1' });
    expect(crossing!.location![0]).toBeCloseTo(114.305, 6);
    expect(crossing!.location![1]).toBeCloseTo(30.505, 6);
    expect(crossing!.message).toMatch(/crosses itself at 114\.305/);
  });

  it('reports a ring that does not end where it starts', () => {
    const open = square.slice(0, 4).concat([[114.30, 30.505]]);
    expect(codes(polygon(open))).toContain('unclosed_ring');
  });

  it('reports too few points', () => {
    expect(codes(polygon([[114.3, 30.5], [114.31, 30.5], [114.3, 30.5]]))).toEqual(['too_few_points']);
    // Four positions but only two distinct corners.
    expect(codes(polygon([[114.3, 30.5], [114.31, 30.5], [114.31, 30.5], [114.3, 30.5]]))).toContain('too_few_points');
  });

  it('warns about a repeated consecutive position but finds nothing else wrong', () => {
    const repeated = [square[0], square[1], square[1], square[2], square[3], square[4]];
    const problems = checkRings(polygon(repeated), where);
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['duplicate_point', 'warning']]);
  });

  it('warns about clockwise outer rings and counter-clockwise holes', () => {
    const clockwise = [...square].reverse();
    expect(checkRings(polygon(clockwise), where).map((p) => [p.code, p.severity])).toEqual([['wrong_orientation', 'warning']]);
    const hole = [
      [114.302, 30.502],
      [114.303, 30.502],
      [114.303, 30.503],
      [114.302, 30.503],
      [114.302, 30.502],
    ];
    expect(codes(polygon(square, hole))).toEqual(['wrong_orientation']);
    expect(codes(polygon(square, [...hole].reverse()))).toEqual([]);
  });

  it('reports a ring without area', () => {
    expect(codes(polygon([[114.3, 30.5], [114.31, 30.5], [114.32, 30.5], [114.3, 30.5]]))).toContain('zero_area');
  });

  it('reports a hole that runs along its shell (no area left) as an error', () => {
    const problems = checkRings(polygon(square, [...square].reverse()), where);
    expect(problems.some((p) => p.severity === 'error')).toBe(true);
  });

  it('reports a spike (a ring doubling back on itself)', () => {
    const spike = [square[0], square[1], [114.32, 30.50], square[1], square[2], square[3], square[0]];
    expect(codes(polygon(spike))).toContain('self_intersection');
  });

  it('reports a ring touching itself at a vertex', () => {
    // A figure of eight through (114.305, 30.505) twice.
    const eight = [
      [114.30, 30.50],
      [114.305, 30.505],
      [114.31, 30.50],
      [114.31, 30.51],
      [114.305, 30.505],
      [114.30, 30.51],
      [114.30, 30.50],
    ];
    const problems = checkRings(polygon(eight), where).filter((p) => p.code === 'self_intersection');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/touches itself/);
  });

  it('reports holes outside the shell, crossing it, or inside another hole', () => {
    const outside = [[114.32, 30.50], [114.32, 30.51], [114.33, 30.51], [114.33, 30.50], [114.32, 30.50]];
    expect(codes(polygon(square, outside))).toEqual(['hole_outside_shell']);
    const crossing = [[114.305, 30.502], [114.305, 30.503], [114.315, 30.503], [114.315, 30.502], [114.305, 30.502]];
    // Two crossing points, each reported with its location.
    expect(codes(polygon(square, crossing))).toEqual(['self_intersection', 'self_intersection']);
    const big = [[114.301, 30.501], [114.301, 30.509], [114.309, 30.509], [114.309, 30.501], [114.301, 30.501]];
    const small = [[114.304, 30.504], [114.304, 30.505], [114.305, 30.505], [114.305, 30.504], [114.304, 30.504]];
    expect(codes(polygon(square, big, small))).toContain('nested_holes');
  });

  it('allows a hole touching its shell at one point', () => {
    const touching = [[114.30, 30.505], [114.305, 30.506], [114.305, 30.504], [114.30, 30.505]];
    expect(codes(polygon(square, touching))).toEqual([]);
  });

  it('checks MultiPolygon parts: valid when apart, an error when they overlap', () => {
    const east = square.map(([x, y]) => [x + 0.02, y]);
    expect(codes({ type: 'MultiPolygon', coordinates: [[square], [east]] })).toEqual([]);
    const inside = [[114.302, 30.502], [114.303, 30.502], [114.303, 30.503], [114.302, 30.503], [114.302, 30.502]];
    expect(codes({ type: 'MultiPolygon', coordinates: [[square], [inside]] })).toEqual(['overlapping_parts']);
    const crossing = square.map(([x, y]) => [x + 0.005, y + 0.005]);
    expect(codes({ type: 'MultiPolygon', coordinates: [[square], [crossing]] })).toContain('overlapping_parts');
  });

  it('rejects the wrong geometry type and bad coordinates without throwing', () => {
    expect(codes({ type: 'Point', coordinates: [114.3, 30.5] })).toEqual(['wrong_geometry_type']);
    expect(codes(null)).toEqual(['wrong_geometry_type']);
    expect(codes(polygon([[114.3, 30.5], [200, 30.5], [114.3, 30.6], [114.3, 30.5]]))).toEqual(['invalid_coordinates']);
    expect(codes({ type: 'Polygon', coordinates: 'nope' })).toEqual(['invalid_coordinates']);
    expect(codes({ type: 'Polygon', coordinates: [[[114.3, Number.NaN]]] })).toEqual(['invalid_coordinates']);
  });

  it('caps the problems of one code per feature', () => {
    // A zig-zag whose every tooth crosses the closing edge.
    const zigzag: number[][] = [[114.3, 30.5]];
    for (let i = 1; i <= 30; i++) zigzag.push([114.3 + i * 0.001, i % 2 ? 30.51 : 30.49]);
    zigzag.push([114.3, 30.5]);
    const problems = checkRings(polygon(zigzag), where, { maxPerFeature: 5 });
    expect(problems.filter((p) => p.code === 'self_intersection')).toHaveLength(5);
  });
});

describe('checkLineGeometry and checkPointGeometry', () => {
  const road = { layer: 'roads' as const, featureId: 'R-1' };
  it('accepts lines and points, rejects degenerate ones', () => {
    expect(checkLineGeometry({ type: 'LineString', coordinates: [[114.3, 30.5], [114.31, 30.5]] }, road)).toEqual([]);
    expect(checkLineGeometry({ type: 'LineString', coordinates: [[114.3, 30.5], [114.3, 30.5]] }, road).map((p) => p.code)).toEqual([
      'duplicate_point',
      'too_few_points',
    ]);
    expect(checkLineGeometry({ type: 'Polygon', coordinates: [] }, road).map((p) => p.code)).toEqual(['wrong_geometry_type']);
    const point = { layer: 'checkpoints' as const, featureId: 'P-1' };
    expect(checkPointGeometry({ type: 'Point', coordinates: [114.3, 30.5] }, point)).toEqual([]);
    expect(checkPointGeometry({ type: 'Point', coordinates: [114.3] }, point).map((p) => p.code)).toEqual(['invalid_coordinates']);
  });
});
