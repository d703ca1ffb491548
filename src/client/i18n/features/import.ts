/**
 * Messages of the import feature, kept in their own module so that features grow their catalogues
 * without editing one shared file. `zh` is the source of the keys; `en` must have every one.
 */
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
