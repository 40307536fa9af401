export { openDatabase, DatabaseOpenError, DATABASE_FILE_NAME } from './database.js';
export type { BotDatabase, OpenDatabaseOptions } from './database.js';
