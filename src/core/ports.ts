/**
 * The seams of the core. Everything platform-, tfjs- or filesystem-specific lives behind one of
 * these interfaces; core modules import nothing else from outside src/core.
 */

/** Opaque `platform:workspace:channel`, so storage keys travel between platforms and processes. */
export type ChannelId = string;
/** Opaque `platform:workspace:user`. */
export type UserId = string;

export interface GenerationRequest {
  /** Already normalised to the model's vocabulary (see InferenceEngine.prepareSeed). */
  readonly seed: string;
  readonly model: string;
  readonly temperature: number;
  /** Number of characters to generate after the seed. */
  readonly length: number;
  /** Same random seed + same request → same text, alone or batched with other jobs. */
  readonly randomSeed?: number;
}

export interface PreparedSeed {
  /** The text that will be fed to the model (mapped to its vocabulary, tail-trimmed). */
  readonly text: string;
  /** Characters that had no place in the vocabulary and were dropped (unique, in order seen). */
  readonly dropped: readonly string[];
  /** True when the user's seed was empty and a stock opener was used instead. */
  readonly usedDefaultOpener: boolean;
}

export interface ModelInfo {
  readonly id: string;
  readonly description: string;
}

export interface InferenceEngine {
  /** The models that can be asked for by id; the first is the default. */
  models(): readonly ModelInfo[];
  /** Map a user's seed onto a model's vocabulary. Throws UserError for an unknown model. */
  prepareSeed(model: string, seed: string): PreparedSeed;
  /** Characters stream out as they are sampled; aborting the signal ends the stream early. */
  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<string>;
  /** Which tfjs backend runs (tensorflow, wasm, cpu…), for logs and metrics. */
  backend(): string;
  close(): Promise<void>;
}

/**
 * One reply being written on one platform. The progressive message drives it: a placeholder is
 * posted, edited as text grows, and text past maxLength continues in follow-up messages.
 */
export interface MessageSurface {
  /** Longest text one message may hold on this platform. */
  readonly maxLength: number;
  /** Smallest gap between two edits of one message that the platform tolerates. */
  readonly editIntervalMs: number;
  /** Posts the first message of the reply; returns its platform message id. */
  post(text: string): Promise<string>;
  /**
   * Replaces the text of a message this surface posted. `final` marks the authoritative last
   * edit: a platform whose rate limit is shared by many replies may let it jump the line.
   */
  edit(messageId: string, text: string, options?: EditOptions): Promise<void>;
  /** Posts the next part of a reply whose previous message is full. */
  postFollowUp(text: string, previousMessageId: string): Promise<string>;
  /**
   * Where this reply lives, in a form the platform adapter can turn back into a surface after a
   * restart (PlatformGateway.resumeSurface). Plain JSON.
   */
  address(): SurfaceAddress;
  /** Optional: told once the final edit landed (a terminal stops redrawing the reply). */
  completed?(messageIds: readonly string[]): void;
}

export interface EditOptions {
  readonly final?: boolean;
}

export interface SurfaceAddress {
  readonly platform: string;
  readonly channelId: ChannelId;
  /** Messages already posted for this reply, in order. */
  readonly messageIds: readonly string[];
  /** Platform specifics (e.g. a Discord interaction token and when it expires). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What a platform adapter offers to callers that have no incoming event: scheduler, recovery. */
export interface PlatformGateway {
  readonly platform: string;
  /** A surface that posts a new message in the channel (daily stories). */
  channelSurface(channelId: ChannelId): MessageSurface;
  /** Rebuild a surface from its address: edit its last message if still possible, else post anew. */
  resumeSurface(address: SurfaceAddress): MessageSurface;
}

export interface ChannelSettings {
  readonly temperature: number;
  readonly model: string;
}

export interface ChannelSettingsStore {
  /** Stored values only; unset fields are filled by the caller's defaults. */
  get(channelId: ChannelId): Partial<ChannelSettings>;
  setTemperature(channelId: ChannelId, temperature: number): void;
  setModel(channelId: ChannelId, model: string): void;
}

/** What the bot remembers about a message it generated, so 🔁 works at any later time. */
export interface StoryRecord {
  readonly channelId: ChannelId;
  readonly seed: string;
  readonly model: string;
  readonly temperature: number;
  /** Characters asked for, so 🔁 writes a story as long; absent for stories saved before sizes. */
  readonly length?: number;
  readonly jobId: string;
}

export interface StoryRecordStore {
  /** messageKey is `platform:workspace:channel:message` (or any key unique per message). */
  put(messageKey: string, record: StoryRecord): void;
  get(messageKey: string): StoryRecord | undefined;
}

export interface DailySchedule {
  readonly channelId: ChannelId;
  /** HH:MM, 24-hour, in timeZone. */
  readonly time: string;
  /** IANA name, e.g. Europe/Berlin. */
  readonly timeZone: string;
  readonly seed?: string;
  readonly model?: string;
  /** YYYY-MM-DD in timeZone of the last day a story was posted. */
  readonly lastPostedDay?: string;
}

export interface ScheduleStore {
  put(schedule: DailySchedule): void;
  remove(channelId: ChannelId): boolean;
  get(channelId: ChannelId): DailySchedule | undefined;
  all(): readonly DailySchedule[];
  /**
   * Atomically claim a day for a channel: true for exactly one caller even when several processes
   * share the database, so a day is never posted twice.
   */
  claimDay(channelId: ChannelId, day: string): boolean;
}

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export type JobKind = 'story' | 'regenerate' | 'daily';
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** A generation job as persisted before the user is told it was accepted. */
export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly channelId: ChannelId;
  readonly userId: UserId;
  readonly request: GenerationRequest;
  /** Where the reply is being written; set once the placeholder is posted. */
  readonly surface?: SurfaceAddress;
  /** For a regeneration: the message key of the story it answers. */
  readonly replyTo?: string;
  /** Title line shown above the story (daily stories). */
  readonly title?: string;
  /** Notes shown above the story (what happened to the seed). */
  readonly notes?: readonly string[];
  readonly state: JobState;
  readonly createdAt: number;
}

export interface JobStore {
  create(job: JobRecord): void;
  setSurface(jobId: string, surface: SurfaceAddress): void;
  setState(jobId: string, state: JobState): void;
  /** Jobs left queued or running by a previous process, oldest first. */
  unfinished(): readonly JobRecord[];
}
