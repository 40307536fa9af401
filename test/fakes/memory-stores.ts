import type {
  ChannelId,
  ChannelSettings,
  ChannelSettingsStore,
  JobRecord,
  JobState,
  JobStore,
  StoryRecord,
  StoryRecordStore,
  SurfaceAddress,
} from '../../src/core/ports.js';

/** In-memory stores for core unit tests (the SQLite ones are tested in test/storage). */
export class MemorySettingsStore implements ChannelSettingsStore {
  readonly data = new Map<ChannelId, Partial<ChannelSettings>>();
  get(channelId: ChannelId): Partial<ChannelSettings> {
    return { ...this.data.get(channelId) };
  }
  setTemperature(channelId: ChannelId, temperature: number): void {
    this.data.set(channelId, { ...this.data.get(channelId), temperature });
  }
  setModel(channelId: ChannelId, model: string): void {
    this.data.set(channelId, { ...this.data.get(channelId), model });
  }
}

export class MemoryRecordStore implements StoryRecordStore {
  readonly data = new Map<string, StoryRecord>();
  put(key: string, record: StoryRecord): void {
    this.data.set(key, record);
  }
  get(key: string): StoryRecord | undefined {
    return this.data.get(key);
  }
}

export class MemoryJobStore implements JobStore {
  readonly data = new Map<string, JobRecord>();
  create(job: JobRecord): void {
    this.data.set(job.id, job);
  }
  setSurface(jobId: string, surface: SurfaceAddress): void {
    const job = this.data.get(jobId);
    if (job) this.data.set(jobId, { ...job, surface });
  }
  setState(jobId: string, state: JobState): void {
    const job = this.data.get(jobId);
    if (job) this.data.set(jobId, { ...job, state });
  }
  unfinished(): readonly JobRecord[] {
    return [...this.data.values()].filter((j) => j.state === 'queued' || j.state === 'running');
  }
}
