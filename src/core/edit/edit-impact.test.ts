import { describe, expect, it } from 'vitest';
import { apiTestDistrict } from '../../../tests/helpers/api-district';
import { applyChange } from './edit-change';
import { computeImpact, prepareImpactBase, type ImpactIssueInput } from './edit-impact';
import type { AreaFeature } from './edit-types';
import { splitPolygon } from './split-polygon';
import { moveVertex } from './vertex-edit';

/**
 * The Worker's impact preview on the API test district (see tests/helpers/api-district.ts): the
 * issues and checkpoints an edit moves, worked out on paper.
 */
const district = apiTestDistrict();
const issues: ImpactIssueInput[] = district.issues.map((f) => ({
  id: f.id,
  code: f.properties.code,
  lon: f.geometry.coordinates[0],
  lat: f.geometry.coordinates[1],
  category: f.properties.category,
  status: f.properties.status,
  unitId: f.properties.unitId,
  assignment: f.properties.assignment,
}));
const base = prepareImpactBase(district, issues);
const grids = new Map(district.grids.map((g) => [g.id, g as unknown as AreaFeature]));

describe('computeImpact', () => {
  it('moving the G1–G2 boundary east moves the issue in the strip to G1 and its owner, nothing else', () => {
    let features: ReadonlyMap<string, AreaFeature> = grids;
    for (const lat of [30.0, 30.005]) {
      const ring = (features.get('G1')!.geometry.coordinates as number[][][])[0];
      const index = ring.findIndex((p) => p[0] === 120.005 && p[1] === lat);
      features = applyChange(features, moveVertex(features, { featureId: 'G1', part: 0, ring: 0, index }, [120.006, lat]));
    }
    const upsert = [...features.values()].filter((f) => f !== grids.get(f.id));
    const impact = computeImpact(base, 'grids', upsert, []);
    expect(impact.issues.map((i) => i.id)).toEqual(['T-STRIP']);
    expect(impact.issues[0].before).toMatchObject({ gridId: 'G2', unitId: 'U-g2' });
    expect(impact.issues[0].after).toMatchObject({ gridId: 'G1', unitId: 'U-s1' });
    expect(impact.checkpoints).toEqual([]);
  });

  it('a split gives the new grid its issues and checkpoints; issues waiting for verification stay', () => {
    const change = splitPolygon(grids, 'G6', [[120.017, 29.99], [120.017, 30.02]], {
      newId: 'G6b',
      newProperties: { ...grids.get('G6')!.properties, code: 'G6b', ownerUnitId: 'U-p1' },
    });
    const impact = computeImpact(base, 'grids', change.after, []);
    // P1 (120.0175, 30.0025) is east of the line: now in G6b, but it keeps its own owner.
    expect(impact.checkpoints).toEqual([
      { id: 'P1', name: '测试公交站', before: { streetId: 'S2', communityId: 'C3', gridId: 'G6', unitId: 'U-p1' }, after: { streetId: 'S2', communityId: 'C3', gridId: 'G6b', unitId: 'U-p1' } },
    ]);
    expect(impact.issues.map((i) => i.id)).not.toContain('T-VERIFY');
  });

  it('removing a grid sends its issues to the campaign office', () => {
    const impact = computeImpact(base, 'grids', [], ['G1']);
    const moved = impact.issues.find((i) => i.id === 'T-G1')!;
    expect(moved.after).toMatchObject({ rule: 'office', unitId: null, gridId: null });
  });
});
