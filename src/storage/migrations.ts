import type Database from 'better-sqlite3';

/**
 * Schema history, oldest first. The database's `user_version` is the number of migrations
 * applied; a migration is never edited once shipped — append a new one instead.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE channel_settings (
    channel_id  TEXT PRIMARY KEY,
    temperature REAL,
    model       TEXT,
    updated_at  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE story_records (
    message_key TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL,
    seed        TEXT NOT NULL,
    model       TEXT NOT NULL,
    temperature REAL NOT NULL,
    job_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE daily_schedules (
    channel_id      TEXT PRIMARY KEY,
    time            TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    seed            TEXT,
    model           TEXT,
    last_posted_day TEXT
  ) STRICT;

  CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    request_json TEXT NOT NULL,
    surface_json TEXT,
    reply_to     TEXT,
    -- What is shown above the story (title line, notes about the seed), so a resumed job looks the same.
    presentation_json TEXT,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
  ) STRICT;

  CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state IN ('queued', 'running');
  `,
  // /scifi length: a story's size, so 🔁 writes one as long. Rows from before stay NULL and
  // regenerate at the default length.
  `
  ALTER TABLE story_records ADD COLUMN length INTEGER CHECK (length > 0);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date. Runs inside an IMMEDIATE transaction and re-reads the version
 * there, so two processes opening a fresh file at once apply each migration exactly once.
 */
export function migrate(db: Database.Database): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `its schema version is ${current} but this bot knows only up to ${MIGRATIONS.length}; ` +
          'it was written by a newer version of the bot',
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string);
    }
    // PRAGMA takes no bound parameters; the value is our own integer.
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply.immediate();
}
