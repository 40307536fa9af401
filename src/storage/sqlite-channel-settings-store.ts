import type Database from 'better-sqlite3';
import type { ChannelId, ChannelSettings, ChannelSettingsStore } from '../core/ports.js';

interface SettingsRow {
  temperature: number | null;
  model: string | null;
}

/** Per-channel temperature and model; a NULL column means "use the default". */
export class SqliteChannelSettingsStore implements ChannelSettingsStore {
  private readonly selectRow: Database.Statement<[string], SettingsRow>;
  private readonly upsertTemperature: Database.Statement<[string, number, number]>;
  private readonly upsertModel: Database.Statement<[string, string, number]>;

  constructor(db: Database.Database) {
    this.selectRow = db.prepare('SELECT temperature, model FROM channel_settings WHERE channel_id = ?');
    this.upsertTemperature = db.prepare(
      `INSERT INTO channel_settings (channel_id, temperature, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (channel_id) DO UPDATE SET temperature = excluded.temperature, updated_at = excluded.updated_at`,
    );
    this.upsertModel = db.prepare(
      `INSERT INTO channel_settings (channel_id, model, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (channel_id) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at`,
    );
  }

  get(channelId: ChannelId): Partial<ChannelSettings> {
    const row = this.selectRow.get(channelId);
    const settings: { temperature?: number; model?: string } = {};
    if (row?.temperature != null) settings.temperature = row.temperature;
    if (row?.model != null) settings.model = row.model;
    return settings;
  }

  setTemperature(channelId: ChannelId, temperature: number): void {
    this.upsertTemperature.run(channelId, temperature, Date.now());
  }

  setModel(channelId: ChannelId, model: string): void {
    this.upsertModel.run(channelId, model, Date.now());
  }
}
