import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { CountsQuery, CountsResponse, LayerOnlyParams, LayerResponse, SummaryResponse, type LayerParam } from '../../../core/api/api-schema';
import { layerFeatures } from '../../../core/district/district-schema';
import type { AppDeps } from '../../app-deps';
import { etagMatches } from '../http-cache';
import { OverdueClock } from '../../services/overdue-clock';
import { computeSummary, dateIn, rankingCoverage } from '../../services/summary-service';
import { maskFeature } from '../../../core/district/mask-phones';
import { phonesVisible } from '../read-access';
import { errors, json } from './openapi-helpers';
import { eachInSlices } from '../../storage/feature-rows';

const ETAG_HEADER = { ETag: { schema: { type: 'string' as const }, description: 'Send it back in If-None-Match to get a 304' } };

const layer = createRoute({
  method: 'get',
  path: '/api/layers/{layer}',
  tags: ['layers'],
  summary: 'A map layer as GeoJSON (streets, communities, grids, roads, checkpoints), with ETag',
  description: 'Geometry only changes through zone edits, so clients keep it and revalidate with If-None-Match.',
  request: { params: LayerOnlyParams },
  responses: { 200: { ...json(LayerResponse, 'FeatureCollection'), headers: ETAG_HEADER }, 304: { description: 'Not modified' }, ...errors(400) },
});

const counts = createRoute({
  method: 'get',
  path: '/api/counts',
  tags: ['layers'],
  summary: 'Open and overdue issues per feature of a layer, with its own ETag',
  description:
    'The ETag changes whenever any issue is written and whenever an open issue passes its deadline, so polling every few seconds costs a 304 when nothing changed. Every feature of the layer is listed, zeros included.',
  request: { query: CountsQuery },
  responses: { 200: { ...json(CountsResponse, 'Counts'), headers: ETAG_HEADER }, 304: { description: 'Not modified' }, ...errors(400) },
});

const summary = createRoute({
  method: 'get',
  path: '/api/summary',
  tags: ['layers'],
  summary: 'KPIs for the large screen: totals, per street / unit / category / checkpoint, daily, days to inspection',
  description: 'ETag changes with any write, any open issue passing its deadline, and the date in the district (daily figures, days left).',
  responses: { 200: { ...json(SummaryResponse, 'Summary'), headers: ETAG_HEADER }, 304: { description: 'Not modified' } },
});

const utf8 = new TextEncoder();
const COLLECTION_OPEN = utf8.encode('{"type":"FeatureCollection","features":[');
const COMMA = utf8.encode(',');
const COLLECTION_CLOSE = utf8.encode(']}');

/**
 * A layer as GeoJSON in UTF-8, the bytes of `JSON.stringify({ type: 'FeatureCollection', features })`
 * (phones masked with `masked`), built in slices with turns of the event loop between them. Each
 * feature's bytes are kept in `texts` as long as the feature object lives: a zone write's new
 * version shares its unchanged feature objects with the one before (loadGeometry's reuse), so
 * after a publish only the features it changed are serialised again, and the body is a copy of
 * bytes outside the JS heap (no multi-MB string to join, flatten and encode per request). The 10x
 * district's grids are megabytes, whose serialisation in one piece held the loop after every
 * publish (issue 17).
 */
async function featureCollectionBody(features: readonly { properties: Record<string, unknown> }[], masked: boolean, texts: WeakMap<object, Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [COLLECTION_OPEN];
  await eachInSlices(features, (feature) => {
    let bytes = texts.get(feature);
    // Bytes of its own (TextEncoder, not Buffer.from's shared 8 KB slabs, which one kept feature would keep whole).
    if (bytes === undefined) texts.set(feature, (bytes = utf8.encode(JSON.stringify(masked ? maskFeature(feature) : feature))));
    if (parts.length > 1) parts.push(COMMA);
    parts.push(bytes);
  });
  parts.push(COLLECTION_CLOSE);
  return Buffer.concat(parts) as Uint8Array<ArrayBuffer>;
}

/** GET /api/layers/{layer}, GET /api/counts, GET /api/summary */
export function registerLayerRoutes(app: OpenAPIHono, deps: AppDeps): void {
  // Serialised layers, by ETag: a layer is rebuilt only after a zone edit of that layer. Anonymous
  // readers get their own copy with people's phones masked (its own ETag).
  const layerBodies = new Map<string, { etag: string; body: Uint8Array<ArrayBuffer> }>();
  // Each feature's bytes as served, masked or not, while the feature object lives.
  const featureTexts = { plain: new WeakMap<object, Uint8Array>(), masked: new WeakMap<object, Uint8Array>() };
  // How many open deadlines have passed: with the data revision, it says whether counts changed.
  const overdue = new OverdueClock(deps.repo);
  const countBodies = new Map<LayerParam, { etag: string; body: string }>();
  // The seeding time never changes while the database is open: read it once.
  let epoch: number | null = null;

  const overdueNow = (nowMs: number) => overdue.at(nowMs);

  app.openapi(layer, async (c) => {
    const name = c.req.valid('param').layer;
    const masked = !(await phonesVisible(c, deps));
    const revisions = await deps.repo.revisions();
    const variant = masked ? `${name}-m` : name;
    const etag = `"${revisions.epoch.toString(36)}-l-${variant}-${revisions.layers[name]}"`;
    const headers = { ETag: etag, 'Cache-Control': 'no-cache', Vary: 'Cookie' };
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    let cached = layerBodies.get(variant);
    if (!cached || cached.etag !== etag) {
      const state = await deps.districts.state();
      cached = { etag, body: await featureCollectionBody(state.geometry[name] as { properties: Record<string, unknown> }[], masked, masked ? featureTexts.masked : featureTexts.plain) };
      layerBodies.set(variant, cached);
    }
    return c.body(cached.body, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.openapi(counts, async (c) => {
    const name = c.req.valid('query').layer;
    const nowMs = deps.now().getTime();
    const { revision, mark: overdue } = await overdueNow(nowMs);
    epoch ??= (await deps.repo.revisions()).epoch;
    const etag = `"${epoch.toString(36)}-c-${name}-${revision}-${overdue}"`;
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag, 'Cache-Control': 'no-cache' });
    let cached = countBodies.get(name);
    if (!cached || cached.etag !== etag) {
      const state = await deps.districts.state();
      const found = await deps.repo.countOpenByFeature(name, nowMs);
      const all: Record<string, { open: number; overdue: number }> = {};
      for (const feature of layerFeatures(state.geometry, name)) all[feature.id] = found.get(feature.id) ?? { open: 0, overdue: 0 };
      cached = { etag, body: JSON.stringify({ layer: name, asOf: new Date(nowMs).toISOString(), revision, counts: all }) };
      countBodies.set(name, cached);
    }
    return c.body(cached.body, 200, { ETag: etag, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  });

  app.openapi(summary, async (c) => {
    const nowMs = deps.now().getTime();
    const { revision, mark: overdue } = await overdueNow(nowMs);
    const state = await deps.districts.state();
    // With patrol coverage weighed into the 红黑榜 (a setting), check-ins change the summary too.
    const weighed = deps.config.field.rankingCoverageWeight > 0;
    const patrol = weighed ? `-p${await deps.repo.patrol.revision()}` : '';
    const etag = `"${state.revisions.epoch.toString(36)}-s-${revision}-${overdue}-${dateIn(state.geometry.meta.timeZone, nowMs)}${patrol}"`;
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag, 'Cache-Control': 'no-cache' });
    const coverage = weighed ? await rankingCoverage(deps, state, nowMs) : undefined;
    return c.json(computeSummary(await deps.repo.summaryRows(), state, nowMs, coverage), 200, { ETag: etag, 'Cache-Control': 'no-cache' });
  });
}
