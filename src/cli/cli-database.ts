import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { readConfig, type ServerConfig } from '../server/config';
import { openDatabase, type OpenedDatabase } from '../server/storage/database';
import type { NewAuditEntry } from '../server/storage/repository';
import { stringOption, type CliArgs } from './cli-args';

/**
 * The database a command works on: the server's (read from the environment like the server does:
 * DATABASE_URL for PostgreSQL, else DUTYMAP_DB or data/dutymap.db), or the SQLite file of `--db`.
 */
export function cliConfig(args: CliArgs): ServerConfig {
  const config = readConfig();
  const db = stringOption(args, 'db');
  return db ? { ...config, dbPath: resolve(db), databaseUrl: null } : config;
}

/** Opens (migrating) the database of cliConfig. */
export function openCliDatabase(args: CliArgs): Promise<OpenedDatabase> {
  return openDatabase(cliConfig(args));
}

/**
 * An audit record of a command-line change: the actor is `cli:<login name>` (who ran it on the
 * server machine), the path the command line without secrets.
 */
export function cliAuditEntry(action: string, command: string, targets: string[], summary: string, at = new Date()): NewAuditEntry {
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {
    /* no passwd entry for this uid (a container) */
  }
  return {
    at: at.toISOString(),
    actor: `cli:${login}`,
    actorRole: null,
    address: null,
    method: 'CLI',
    path: command,
    action,
    outcome: 'ok',
    status: 0,
    targets,
    summary,
    details: null,
  };
}
