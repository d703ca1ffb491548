import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { DistrictResponse, UnitsResponse } from '../../../core/api/api-schema';
import { geometryBox, mergeBBoxes } from '../../../core/geometry/geometry-parts';
import type { AppDeps } from '../../app-deps';
import { daysUntil } from '../../services/summary-service';
import { maskUnits } from '../../../core/district/mask-phones';
import { phonesVisible } from '../read-access';
import { json } from './openapi-helpers';

const district = createRoute({
  method: 'get',
  path: '/api/district',
  tags: ['district'],
  summary: 'The district: name, code, centre, bbox, inspection date, counts of each layer',
  responses: { 200: json(DistrictResponse, 'The district') },
});

const units = createRoute({
  method: 'get',
  path: '/api/units',
  tags: ['district'],
  summary: 'Every responsible unit (责任单位) with kind and contact',
  responses: { 200: json(UnitsResponse, 'The units') },
});

/** GET /api/district, GET /api/units */
export function registerDistrictRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(district, async (c) => {
    const state = await deps.districts.state();
    const { meta, streets, communities, grids, roads, checkpoints, units: unitList } = state.geometry;
    const rows = await deps.repo.summaryRows();
    const bbox =
      streets.length > 0
        ? mergeBBoxes(streets.map((s) => geometryBox(s.geometry)))
        : ([meta.centre[0], meta.centre[1], meta.centre[0], meta.centre[1]] as [number, number, number, number]);
    return c.json(
      {
        name: meta.name,
        code: meta.code,
        centre: meta.centre,
        bbox,
        inspectionDate: meta.inspectionDate,
        daysToInspection: daysUntil(meta.inspectionDate, meta.timeZone, deps.now().getTime()),
        synthetic: meta.synthetic,
        timeZone: meta.timeZone,
        officeUnitId: meta.officeUnitId,
        counts: {
          streets: streets.length,
          communities: communities.length,
          grids: grids.length,
          roads: roads.length,
          checkpoints: checkpoints.length,
          units: unitList.length,
          issues: rows.length,
          openIssues: rows.filter((r) => r.status !== 'closed').length,
        },
      },
      200,
    );
  });
  app.openapi(units, async (c) => {
    const list = (await deps.districts.state()).geometry.units;
    return c.json({ units: (await phonesVisible(c, deps)) ? list : maskUnits(list) }, 200, { Vary: 'Cookie' });
  });
}
