import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { ImportReportSchema, type ImportReport } from '../../core/import/import-report';
import { ApiRequestError, apiUrl, requestJson } from './http';

/**
 * The import endpoints (admin): start an upload, send each file in chunks under the server's body
 * limit (which gives an upload progress), dry-run the report, commit; and the import options.
 */

/** Bytes per chunk: well under the default 2 MiB body limit. */
export const CHUNK_BYTES = 1024 * 1024;

const ImportOptionsResponse = z.object({
  crs: z.array(z.object({ crs: z.string(), label: z.string() })),
  layers: z.array(z.string()),
  fields: z.record(z.string(), z.array(z.string())),
  repairs: z.array(z.string()),
  maxUploadBytes: z.number(),
});
export type ImportOptionsResponse = z.infer<typeof ImportOptionsResponse>;

const UploadStatus = z.object({
  id: z.string(),
  files: z.array(z.object({ name: z.string(), size: z.number(), received: z.number() })),
  stage: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  message: z.string().nullable(),
  report: ImportReportSchema.nullable(),
});
export type UploadStatus = z.infer<typeof UploadStatus>;

const CommitResponse = z.object({
  report: ImportReportSchema,
  editId: z.number(),
  counts: z.record(z.string(), z.object({ created: z.number(), updated: z.number(), deleted: z.number() })),
  reassigned: z.number(),
});
export type CommitResponse = z.infer<typeof CommitResponse>;

/** Per-file choices and accepted repairs, as POST …/report and …/commit take them. */
export interface ImportChoices {
  settings?: Record<string, { layer?: string; crs?: string; mapping?: Record<string, string> }>;
  /** A server without a district: the new district's name and 6-digit division code. */
  newDistrict?: { name: string; code: string };
  repairs?: string[];
  note?: string;
}

/** GET /api/import/options */
export function importOptionsQuery() {
  return queryOptions({
    queryKey: ['import-options'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/import/options'), ImportOptionsResponse, { signal }),
    staleTime: Infinity,
  });
}

/** Uploads files: creates the upload, then sends every file in chunks, reporting bytes sent. */
export async function uploadFiles(files: readonly File[], onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<UploadStatus> {
  const upload = await requestJson(apiUrl('/api/import/uploads'), UploadStatus, {
    method: 'POST',
    body: JSON.stringify({ files: files.map((f) => ({ name: f.name, size: f.size })) }),
    signal,
  });
  const total = files.reduce((n, f) => n + f.size, 0);
  let sent = 0;
  onProgress(0, total);
  for (const [index, file] of files.entries()) {
    for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
      const chunk = file.slice(offset, offset + CHUNK_BYTES);
      const response = await fetch(apiUrl(`/api/import/uploads/${upload.id}/files/${index}`, { offset }), {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: chunk,
        signal,
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details: unknown } } | null;
        throw new ApiRequestError(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${response.status}`, body?.error?.details ?? null);
      }
      sent += chunk.size;
      onProgress(sent, total);
    }
  }
  return upload;
}

/** GET /api/import/uploads/{id}: stage and progress of the check. */
export function uploadStatus(id: string, signal?: AbortSignal): Promise<UploadStatus> {
  return requestJson(apiUrl(`/api/import/uploads/${id}`), UploadStatus, { signal });
}

/** POST /api/import/uploads/{id}/report: the dry run. */
export function dryRun(id: string, choices: ImportChoices): Promise<ImportReport> {
  return requestJson(apiUrl(`/api/import/uploads/${id}/report`), ImportReportSchema, { method: 'POST', body: JSON.stringify(choices) });
}

/** POST /api/import/uploads/{id}/commit: stores everything or nothing (422 with the report). */
export function commitImport(id: string, choices: ImportChoices): Promise<CommitResponse> {
  return requestJson(apiUrl(`/api/import/uploads/${id}/commit`), CommitResponse, { method: 'POST', body: JSON.stringify(choices) });
}

/** The export downloads (plain links: the browser saves them). */
export const EXPORT_LINKS = [
  { key: 'folder', href: '/api/export/district.zip' },
  { key: 'shapefile', href: '/api/export/shapefile.zip' },
  { key: 'csv', href: '/api/export/issues.csv' },
  { key: 'xlsx', href: '/api/export/issues.xlsx' },
] as const;
