import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ChannelSettingsStore, Logger, ScheduleStore, StoryRecordStore } from '../core/ports.js';
import { migrate } from './migrations.js';
import { SqliteChannelSettingsStore } from './sqlite-channel-settings-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteScheduleStore } from './sqlite-schedule-store.js';
import { SqliteStoryRecordStore } from './sqlite-story-record-store.js';

export const DATABASE_FILE_NAME = 'scifi-bot.sqlite';

/** Every store the bot needs, over one SQLite file. */
export interface BotDatabase {
  /** Absolute path of the SQLite file, for logs. */
  readonly file: string;
  readonly settings: ChannelSettingsStore;
  readonly stories: StoryRecordStore;
  readonly schedules: ScheduleStore;
  readonly jobs: SqliteJobStore;
  /** Idempotent. Stores must not be used afterwards. */
  close(): void;
}

export interface OpenDatabaseOptions {
  /** How long a write waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The database file could not be opened or prepared; the message names the file and a remedy. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot open the database ${file}: ${reason}`, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Opens (creating if needed) `<dataDir>/scifi-bot.sqlite`. WAL plus a busy timeout let several
 * processes share the file: readers never block, writers queue for the lock instead of failing.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): BotDatabase {
  // Absolute, so an error message points at the file whatever the working directory was.
  const file = resolve(dataDir, DATABASE_FILE_NAME);
  let db: Database.Database | undefined;
  try {
    makeDirectory(dataDir);
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    db.pragma('journal_mode = WAL');
    // FULL: a committed job survives even power loss, not only a killed process; jobs are few.
    db.pragma('synchronous = FULL');
    migrate(db);
    // Reading the schema proves the file is a usable database, not just openable.
    db.prepare('SELECT count(*) FROM jobs').get();
  } catch (error) {
    db?.close();
    throw new DatabaseOpenError(file, explainOpenFailure(error), { cause: error });
  }
  return assemble(file, db, options.logger);
}

function assemble(file: string, db: Database.Database, logger?: Logger): BotDatabase {
  let closed = false;
  return {
    file,
    settings: new SqliteChannelSettingsStore(db),
    stories: new SqliteStoryRecordStore(db),
    schedules: new SqliteScheduleStore(db),
    jobs: new SqliteJobStore(db, logger),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir spins at 100% CPU for ever where a
 * pseudo-filesystem answers ENOENT for a child of a folder that exists (DATA_DIR under /proc or
 * /sys): start-up would hang without a word instead of naming the setting.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process may have made it in the meantime; anything else is a real failure.
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
  }
}

/** Turns SQLite and filesystem error codes into a reason a person can act on. */
export function explainOpenFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // better-sqlite3 is a native addon compiled by its install script. npm 11 runs a dependency's
  // install script only when package.json's allowScripts approves it (this project's does), and
  // `--ignore-scripts` skips it: the error then lists a dozen paths and says nothing useful.
  if (message.includes('Could not locate the bindings file')) {
    return 'the SQLite driver (better-sqlite3) was installed without building its native part; run `npm rebuild better-sqlite3`';
  }
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `the file is not a SQLite database or is damaged (${message}); move it aside to start with an empty one`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_IOERR':
    case 'EACCES':
    case 'EPERM':
    case 'ENOTDIR':
    case 'ENOENT':
    case 'EEXIST':
    case 'EROFS':
      return `it cannot be created or written (${message}); check that DATA_DIR is a writable directory`;
    default:
      return message;
  }
}
