import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { LAYERS } from '../../../core/district/district-schema';
import { ledgerNames } from '../../../core/export/ledger';
import { IMPORT_FIELDS, LAYER_FIELDS } from '../../../core/import/field-mapping';
import { REPAIR_KINDS } from '../../../core/import/geometry-repair';
import { crsChoices, parseCrs } from '../../../core/geometry/import-crs';
import { ImportReportSchema } from '../../../core/import/import-report';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { requireRole, roleGuard, withRole } from '../auth';
import { RevisionCache } from '../export-cache';
import { etagMatches } from '../http-cache';
import { countBelow } from '../../services/overdue-clock';
import { phonesVisible } from '../read-access';
import { ledgerCsvStream } from '../../services/export-service';
import { databaseSource } from '../../storage/database';
import { ImportService, type ImportChoices, type UploadState } from '../../services/import-service';
import { errors, json, jsonBody } from './openapi-helpers';

const Crs = z.string().refine((value) => {
  try {
    parseCrs(value);
    return true;
  } catch {
    return false;
  }
}, 'use wgs84, gcj02, bd09, cgcs2000 or a CGCS2000 3-degree Gauss-Krüger code epsg:4513 … epsg:4554');

const SourceSettings = z.object({
  layer: z.enum(LAYERS).optional(),
  crs: Crs.optional(),
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.string().max(100)).optional(),
});

export const ImportChoicesBody = z.object({
  defaults: SourceSettings.optional(),
  settings: z.record(z.string(), SourceSettings).optional(),
  repairs: z.array(z.enum(REPAIR_KINDS)).optional(),
  newDistrict: z
    .object({ name: z.string().trim().min(1).optional(), code: z.string().regex(/^\d{6}$/).optional(), inspectionDate: z.iso.date().optional() })
    .optional(),
  note: z.string().max(500).optional(),
  /** The language of the report's messages; Chinese by default. */
  lang: z.enum(['zh', 'en']).optional(),
  /** The clean's tolerances: snap distance (m), largest gap filled (m²), thinnest gap kept (m). */
  clean: z
    .object({
      snapM: z.number().min(0).max(50).optional(),
      gapAreaM2: z.number().min(0).max(1_000_000).optional(),
      gapWidthM: z.number().min(0).max(1000).optional(),
      overlapWidthM: z.number().min(0).max(1000).optional(),
    })
    .optional(),
});

const UploadStatus = z.object({
  id: z.string(),
  files: z.array(z.object({ name: z.string(), size: z.number().int(), received: z.number().int() })),
  stage: z.string().openapi({ description: 'uploading, ready, reading, converting, parents, checking, done, failed, committed' }),
  done: z.number(),
  total: z.number().nullable(),
  message: z.string().nullable(),
  report: ImportReportSchema.nullable(),
});

const IdParam = z.object({ id: z.string().uuid() });
const CreateUploadBody = z.object({
  // The size limit itself (DUTYMAP_MAX_UPLOAD) is the service's: 413 with the limit named.
  files: z.array(z.object({ name: z.string().min(1).max(200), size: z.number().int().min(0) })).min(1).max(50),
});
const CommitResponse = z.object({
  report: ImportReportSchema,
  editId: z.number().int(),
  counts: z.record(z.string(), z.object({ created: z.number().int(), updated: z.number().int(), deleted: z.number().int() })),
  reassigned: z.number().int(),
});

const createUpload = createRoute({
  method: 'post',
  path: '/api/import/uploads',
  tags: ['import'],
  summary: 'Start an upload (admin): name the files and their sizes, then PUT their bytes in chunks',
  request: { body: jsonBody(CreateUploadBody) },
  responses: { 201: json(UploadStatus, 'The upload'), ...errors(400, 401, 403, 413, 415) },
});
const uploadStatus = createRoute({
  method: 'get',
  path: '/api/import/uploads/{id}',
  tags: ['import'],
  summary: 'Progress of an upload and of its check: bytes received, stage, the last report',
  request: { params: IdParam },
  responses: { 200: json(UploadStatus, 'The upload'), ...errors(401, 403, 404) },
});
const dryRun = createRoute({
  method: 'post',
  path: '/api/import/uploads/{id}/report',
  tags: ['import'],
  summary: 'Dry run: read, convert and check the files with the chosen layers, CRS, mapping and repairs; nothing is stored',
  request: { params: IdParam, body: jsonBody(ImportChoicesBody) },
  responses: { 200: json(ImportReportSchema, 'The validation report'), ...errors(400, 401, 403, 404, 409, 415) },
});
const commit = createRoute({
  method: 'post',
  path: '/api/import/uploads/{id}/commit',
  tags: ['import'],
  summary: 'Store the import in one transaction (all or nothing); 422 with the report when it has errors',
  request: { params: IdParam, body: jsonBody(ImportChoicesBody) },
  responses: { 200: json(CommitResponse, 'Stored'), ...errors(400, 401, 403, 404, 409, 415, 422) },
});
const removeUpload = createRoute({
  method: 'delete',
  path: '/api/import/uploads/{id}',
  tags: ['import'],
  summary: 'Discard an upload and its files',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
});
const options = createRoute({
  method: 'get',
  path: '/api/import/options',
  tags: ['import'],
  summary: 'What an import can be told: coordinate systems, layers, mappable fields per layer, repairs',
  responses: {
    200: json(
      z.object({
        crs: z.array(z.object({ crs: z.string(), label: z.string() })),
        layers: z.array(z.enum(LAYERS)),
        fields: z.record(z.string(), z.array(z.string())),
        repairs: z.array(z.string()),
        maxUploadBytes: z.number(),
      }),
      'Choices',
    ),
  },
});

const download = (path: string, summary: string, type: string) =>
  createRoute({
    method: 'get',
    path,
    tags: ['export'],
    summary,
    responses: { 200: { description: summary, content: { [type]: { schema: z.string() } } } },
  });
const exportFolder = download('/api/export/district.zip', 'The district folder (GeoJSON layers, units, district.json, issues) as a zip', 'application/zip');
const exportShapefile = download('/api/export/shapefile.zip', 'Every layer as a Shapefile (WGS-84 .prj, UTF-8 .cpg), zipped', 'application/zip');
const exportCsv = download('/api/export/issues.csv', 'The issue ledger as CSV (UTF-8 with BOM, Chinese header)', 'text/csv');
const exportXlsx = download('/api/export/issues.xlsx', 'The issue ledger as an Excel workbook', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

function statusOf(upload: UploadState) {
  return {
    id: upload.id,
    files: upload.files.map((f) => ({ name: f.name, size: f.size, received: f.received })),
    stage: upload.stage,
    done: upload.done,
    total: upload.total,
    message: upload.message,
    report: upload.report,
  };
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function attachment(name: string, asciiName: string) {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Import (admin): POST /api/import/uploads, PUT …/files/{index}?offset=N (raw bytes, each chunk
 * within the body limit), GET …/{id} (progress), POST …/report (dry run), POST …/commit, DELETE.
 * Export (everyone who can read): GET /api/export/district.zip, shapefile.zip, issues.csv, issues.xlsx.
 * The admin's role is checked before anything of the request is read (withRole); the exports are
 * made in the compute pool and kept per data revision (anonymous readers get phones masked).
 */
export function registerImportRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const service = new ImportService(deps.repo, deps.districts, deps.now, {
    root: deps.config.importTempDir,
    maxUploadBytes: deps.config.maxUploadBytes,
    maxUnpackedBytes: deps.config.maxUnpackedBytes,
    source: databaseSource(deps.config),
  });
  const files = new RevisionCache<Uint8Array>((bytes) => bytes.byteLength);
  const admin = <R extends Parameters<typeof withRole>[0]>(route: R) => withRole(route, deps, ['admin']);

  /** The cache key of an export: what it shows (`variant`) at the current data and zones. */
  const revisionKey = async (variant: string) => {
    const r = await deps.repo.revisions();
    return `${variant}:${r.epoch}:${r.data}:${r.zones}`;
  };

  app.openapi(options, async (c) =>
    c.json(
      {
        crs: crsChoices(),
        layers: [...LAYERS],
        fields: Object.fromEntries(LAYERS.map((l) => [l, [...LAYER_FIELDS[l]]])),
        repairs: [...REPAIR_KINDS],
        maxUploadBytes: deps.config.maxUploadBytes,
      },
      200,
    ),
  );

  app.openapi(admin(createUpload), async (c) => {
    const user = await requireRole(c, deps, ['admin']);
    const upload = service.create(user.username, c.req.valid('json').files);
    return c.json(statusOf(upload), 201, { Location: `/api/import/uploads/${upload.id}` });
  });

  app.openapi(admin(uploadStatus), async (c) => c.json(statusOf(service.get(c.req.valid('param').id)), 200));

  // Raw bytes: not a JSON route, so it is registered on the plain router, guard first.
  app.put('/api/import/uploads/:id/files/:index', roleGuard(deps, ['admin']), async (c) => {
    const index = Number(c.req.param('index'));
    const offset = Number(c.req.query('offset') ?? '0');
    if (!Number.isInteger(index) || index < 0 || !Number.isInteger(offset) || offset < 0) {
      throw new AppError('validation_failed', '文件序号和 ?offset= 必须是不小于 0 的整数；index and ?offset= must be whole numbers ≥ 0', { index: c.req.param('index'), offset: c.req.query('offset') });
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = service.append(c.req.param('id'), index, offset, bytes);
    return c.json({ name: file.name, size: file.size, received: file.received }, 200);
  });

  app.openapi(admin(dryRun), async (c) => {
    const report = await service.dryRun(c.req.valid('param').id, c.req.valid('json') as ImportChoices);
    return c.json(report, 200);
  });

  app.openapi(admin(commit), async (c) => {
    const result = await service.commit(c.req.valid('param').id, c.req.valid('json') as ImportChoices);
    return c.json({ report: result.report, editId: result.stored.editId, counts: result.stored.counts, reassigned: result.reassigned }, 200);
  });

  app.openapi(admin(removeUpload), async (c) => {
    service.remove(c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(exportFolder, async (c) => {
    const masked = !(await phonesVisible(c, deps));
    const state = await deps.districts.state();
    const key = await revisionKey(`district-zip:${masked}`);
    if (etagMatches(c.req.header('if-none-match'), etagOf(key))) return c.body(null, 304, { ETag: etagOf(key), ...PRIVATE });
    const bytes = await files.get(key, async () =>
      deps.districts.compute({ kind: 'district-zip', nowMs: deps.now().getTime(), maskPhones: masked }, { state }),
    );
    const { meta } = state.geometry;
    return c.body(arrayBufferOf(bytes), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': attachment(`${meta.name}-${meta.code}.zip`, `district-${meta.code}.zip`),
      ETag: etagOf(key),
      ...PRIVATE,
    });
  });

  app.openapi(exportShapefile, async (c) => {
    const masked = !(await phonesVisible(c, deps));
    const now = deps.now();
    const state = await deps.districts.state();
    // The .dbf headers carry the day they were written.
    const key = await revisionKey(`shapefile:${masked}:${now.toISOString().slice(0, 10)}`);
    if (etagMatches(c.req.header('if-none-match'), etagOf(key))) return c.body(null, 304, { ETag: etagOf(key), ...PRIVATE });
    const bytes = await files.get(key, () =>
      deps.districts.compute({ kind: 'shapefile-zip', writtenAtMs: now.getTime(), maskPhones: masked }, { state }),
    );
    const { meta } = state.geometry;
    return c.body(arrayBufferOf(bytes), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': attachment(`${meta.name}-shapefile.zip`, `district-${meta.code}-shapefile.zip`),
      ETag: etagOf(key),
      ...PRIVATE,
    });
  });

  app.openapi(exportCsv, async (c) => {
    const now = deps.now();
    const names = ledgerNames((await deps.districts.state()).geometry);
    return c.body(await ledgerCsvStream(deps.repo, names, { nowMs: now.getTime() }, 'reportedAt', now), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment('问题台账.csv', 'issues.csv'),
    });
  });

  app.openapi(exportXlsx, async (c) => {
    const now = deps.now();
    // 超期 (overdue) changes when a deadline passes, not only with the data: part of the key.
    const overdue = countBelow(await deps.repo.openDeadlines(), now.getTime());
    const key = await revisionKey(`ledger-xlsx:${overdue}`);
    if (etagMatches(c.req.header('if-none-match'), etagOf(key))) return c.body(null, 304, { ETag: etagOf(key) });
    // The worker reads the ledger itself: none of it is read or copied on this thread.
    const bytes = await files.get(key, () => deps.districts.compute({ kind: 'ledger-xlsx', nowMs: now.getTime() }));
    return c.body(arrayBufferOf(bytes), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachment('问题台账.xlsx', 'issues.xlsx'),
      ETag: etagOf(key),
    });
  });
}

/** The ETag of an export: its cache key, which names what it shows and the revisions it was made from. */
const etagOf = (key: string) => `"${key.replace(/[^\w.:-]/g, '_')}"`;

/** A download that depends on who asks (phones masked or not): no shared cache may keep it. */
const PRIVATE = { 'Cache-Control': 'private, no-store', Vary: 'Cookie' };
