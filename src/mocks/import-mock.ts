import { LAYERS } from '../core/district/district-schema';
import { LAYER_FIELDS } from '../core/import/field-mapping';
import { REPAIR_KINDS } from '../core/import/geometry-repair';

/** What GET /api/import/options lists, for the MSW handlers (the same lists the server sends). */
export const IMPORT_FIELDS_BY_LAYER: Record<string, string[]> = Object.fromEntries(LAYERS.map((l) => [l, [...LAYER_FIELDS[l]]]));
export const IMPORT_REPAIRS: string[] = [...REPAIR_KINDS];
