import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { LookupQuery, LookupResponse } from '../../../core/api/api-schema';
import { AssignmentInputError, assign } from '../../../core/assignment/assign-issue';
import type { AssignmentResult } from '../../../core/assignment/assignment-schema';
import type { IssueCategory } from '../../../core/district/catalog';
import { toWgs84 } from '../../../core/geometry/crs-convert';
import type { ExcludedFeature, Person, Unit } from '../../../core/district/district-schema';
import { maskPeople, maskPerson } from '../../../core/district/mask-phones';
import { phonesVisible } from '../read-access';
import { excludedAreaAnswer, explainAssignment } from '../../../core/assignment/explain-assignment';
import { AppError } from '../../app-error';
import { assignmentInputMessage } from '../../error-messages';
import type { AppDeps } from '../../app-deps';
import type { DistrictState } from '../../services/district-service';
import { errors, json } from './openapi-helpers';

const lookup = createRoute({
  method: 'get',
  path: '/api/lookup',
  tags: ['lookup'],
  summary: 'Who is responsible here: street, community, grid (leader, phone), road chief, checkpoint, unit, and why',
  request: { query: LookupQuery },
  responses: { 200: json(LookupResponse, 'The full assignment with names and contacts'), ...errors(400, 422) },
});

/** The lookup's sentence, with the names the server holds. */
function explain(a: AssignmentResult, state: DistrictState, excluded: ExcludedFeature | null): { zh: string; en: string } {
  const layer = { checkpoint: 'checkpoints', road: 'roads', grid: 'grids' } as const;
  return explainAssignment(a, {
    districtName: state.geometry.meta.name,
    unitName: (id) => state.units.get(id)?.name ?? null,
    featureName: (rule, id) => {
      const name = state.features[layer[rule]].get(id)?.properties.name;
      return name === undefined ? null : String(name);
    },
    excluded: excluded ? { name: excluded.properties.name, kind: excluded.properties.kind, reason: excluded.properties.reason } : null,
  });
}

/** GET /api/lookup */
export function registerLookupRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(lookup, async (c) => {
    const q = c.req.valid('query');
    // After a zone write (here or in another instance) the lookup waits for the new version's
    // index, built in the compute pool: the loop stays free, and the answer is the new zones'.
    const state = await deps.districts.state();
    const point = toWgs84(q.lon, q.lat, q.crs);
    let a: AssignmentResult;
    try {
      a = assign(state.index, point, q.category);
    } catch (error) {
      if (error instanceof AssignmentInputError) throw new AppError(error.code, assignmentInputMessage(error.code, error.message), { lon: q.lon, lat: q.lat, category: q.category });
      throw error;
    }
    const f = state.features;
    // People's phones in full for signed-in users; masked for anonymous readers (DUTYMAP_PUBLIC_PHONES).
    const visible = await phonesVisible(c, deps);
    const show = visible ? <T,>(value: T) => value : maskPerson;
    const zone = (layer: 'streets' | 'communities' | 'grids', id: string | null) => {
      const feature = id ? f[layer].get(id) : undefined;
      if (!feature) return null;
      const p = feature.properties;
      return {
        id: feature.id,
        code: (p.code as string | undefined) ?? null,
        name: String(p.name),
        ownerUnitId: (p.ownerUnitId as string | null) ?? null,
        leader: show((p.leader as Person | null | undefined) ?? null),
      };
    };
    const grid = zone('grids', a.gridId);
    const gridProps = a.gridId ? f.grids.get(a.gridId)?.properties : undefined;
    const road = a.roadId ? f.roads.get(a.roadId) : undefined;
    const checkpoint = a.checkpointId ? f.checkpoints.get(a.checkpointId) : undefined;
    const unitFor = (unit: Unit | null) => (unit && !visible ? maskPeople(unit) : unit);
    const layerOf = { checkpoint: 'checkpoints', road: 'roads', grid: 'grids', excluded: 'excluded', office: null } as const;
    const excluded = a.excludedId ? ((f.excluded.get(a.excludedId) as unknown as ExcludedFeature | undefined) ?? null) : null;
    return c.json(
      {
        point,
        category: q.category as IssueCategory,
        assignment: a,
        unit: a.unitId ? unitFor(state.units.get(a.unitId) ?? null) : null,
        street: zone('streets', a.streetId),
        community: zone('communities', a.communityId),
        grid: grid
          ? {
              ...grid,
              gridLeader: show((gridProps?.gridLeader as Person | null | undefined) ?? null),
              gridWorkers: ((gridProps?.gridWorkers as Person[] | undefined) ?? []).map((p) => show(p)),
            }
          : null,
        road: road
          ? {
              id: road.id,
              name: String(road.properties.name),
              roadClass: String(road.properties.roadClass),
              roadChief: show(road.properties.roadChief as Person) ?? null,
              ownerUnitId: (road.properties.ownerUnitId as string | null) ?? null,
              ...segmentOf(road.properties),
            }
          : null,
        checkpoint: checkpoint
          ? {
              id: checkpoint.id,
              code: String(checkpoint.properties.code),
              name: String(checkpoint.properties.name),
              category: String(checkpoint.properties.category),
              ownerUnitId: (checkpoint.properties.ownerUnitId as string | null) ?? null,
              leader: show((checkpoint.properties.leader as Person | null | undefined) ?? null),
            }
          : null,
        candidates: a.candidates.map((cand) => {
          const layer = layerOf[cand.rule];
          const feature = layer ? f[layer].get(cand.featureId) : undefined;
          return {
            ...cand,
            name: feature ? String(feature.properties.name) : null,
            unitName: cand.unitId ? (state.units.get(cand.unitId)?.name ?? null) : null,
          };
        }),
        place: a.place ?? ('zone' as const),
        excluded: excluded ? excludedAreaAnswer(excluded, (id) => state.units.get(id)?.name ?? null) : null,
        why: explain(a, state, excluded),
      },
      200,
      { Vary: 'Cookie' },
    );
  });
}

/** A road's segment ends, when its data has them. */
function segmentOf(p: Record<string, unknown>): { from?: string; to?: string } {
  return typeof p.from === 'string' && typeof p.to === 'string' && p.from && p.to ? { from: p.from, to: p.to } : {};
}
