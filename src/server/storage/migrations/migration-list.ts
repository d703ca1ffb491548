/**
 * Every schema migration of both backends, in the order they are applied (storage/migrate.ts runs
 * them). To add one: a file `NNNN-what-it-does.ts` beside this one exporting a Migration whose
 * version is NNNN, the next after the last below, and its entry at the end of the list
 * (migration-list.test.ts checks that the files, the versions and this list agree).
 */
import type { Migration } from './migration';
import { initialSchema } from './0001-initial-schema';
import { districtIdEverywhere } from './0002-district-id-everywhere';
import { open311ApiKeys } from './0003-open311-api-keys';
import { rateLimits } from './0004-rate-limits';
import { usersDisabledAndAuditLog } from './0005-users-disabled-and-audit-log';
import { ledgerAtScale } from './0006-ledger-at-scale';
import { photosAndPatrols } from './0007-photos-and-patrols';

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  districtIdEverywhere,
  open311ApiKeys,
  rateLimits,
  usersDisabledAndAuditLog,
  ledgerAtScale,
  photosAndPatrols,
];
