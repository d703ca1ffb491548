import { z } from 'zod';
import { ISSUE_SOURCES } from '../district/catalog';

/**
 * Wire shapes of /api/api-keys: the admin's keys for Open311 writes (POST /open311/v2/requests).
 * The key itself appears once, in the response that creates it; only its hash is stored.
 */

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first characters, to tell keys apart without showing them. */
  prefix: z.string(),
  /** The source issues filed with this key get in the ledger. */
  source: z.enum(ISSUE_SOURCES),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  requestCount: z.number().int(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const ApiKeysResponse = z.object({ keys: z.array(ApiKeyView) });
export type ApiKeysResponse = z.infer<typeof ApiKeysResponse>;

export const CreateApiKeyBody = z.object({
  /** Who uses the key, e.g. "12345 市民热线". */
  name: z.string().trim().min(1, 'name the system or partner that will use the key').max(100),
  source: z.enum(ISSUE_SOURCES).default('citizen_complaint'),
});
export type CreateApiKeyBody = z.input<typeof CreateApiKeyBody>;

/** The created key: shown once — copy it now. */
export const CreatedApiKey = ApiKeyView.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const ApiKeyIdParam = z.object({ id: z.string().min(1).max(100) });
