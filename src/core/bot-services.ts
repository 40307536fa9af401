import type {
  ChannelId,
  ChannelSettings,
  DailySchedule,
  JobKind,
  MessageSurface,
  ModelInfo,
  UserId,
} from './ports.js';

export interface StartStoryInput {
  readonly kind: JobKind;
  readonly channelId: ChannelId;
  readonly userId: UserId;
  /** The user's raw seed; the service normalises it and tells the user what it dropped. */
  readonly seed: string;
  /** Defaults to the channel's model, then the default model. */
  readonly model?: string;
  /** Defaults to the channel's temperature. */
  readonly temperature?: number;
  /** Characters to generate; defaults by kind (a daily story is longer). */
  readonly length?: number;
  readonly randomSeed?: number;
  readonly surface: MessageSurface;
  /** For a regeneration: the message key of the story it answers. */
  readonly replyTo?: string;
  /** A title line above the story (daily stories). */
  readonly title?: string;
}

export interface StoryOutcome {
  /** cancelled: stopped by shutdown, resumes on the next start; deleted: someone deleted its message. */
  readonly status: 'done' | 'failed' | 'cancelled' | 'deleted';
  /** The whole reply as shown (notes + seed + continuation). */
  readonly text: string;
  readonly messageIds: readonly string[];
}

export interface StartedStory {
  readonly jobId: string;
  /** 1-based place in line when accepted (1 = next to run). */
  readonly position: number;
  readonly finished: Promise<StoryOutcome>;
}

export interface StoryService {
  /**
   * Accepts a story (persisted before this resolves) or throws UserError with a friendly message
   * (queue full, too many waiting jobs for this user, rate limited, bad option).
   */
  start(input: StartStoryInput): Promise<StartedStory>;
  /**
   * A new story from the same seed, model and length as a message the bot generated, at the
   * channel's current temperature. Returns undefined when the message is not one of the bot's
   * stories (the adapter then ignores the reaction); throws UserError('busy') while a
   * regeneration of the same message is still running. `surface` is where the new story goes
   * (a reply/thread to it).
   */
  regenerate(input: RegenerateInput): Promise<StartedStory | undefined>;
}

export interface RegenerateInput {
  readonly channelId: ChannelId;
  /** Platform id of the message that was reacted to. */
  readonly messageId: string;
  readonly userId: UserId;
  readonly surface: MessageSurface;
}

/** The key under which a generated message is remembered: channel id plus message id. */
export function messageKey(channelId: ChannelId, messageId: string): string {
  return `${channelId}:${messageId}`;
}

export interface ChannelSettingsService {
  /** Stored settings with defaults filled in. */
  effective(channelId: ChannelId): ChannelSettings;
  /** Throws UserError when out of range. */
  setTemperature(channelId: ChannelId, temperature: number): void;
  /** Throws UserError for an unknown model. */
  setModel(channelId: ChannelId, model: string): void;
}

export interface DailyService {
  /** Validates time (HH:MM) and IANA zone; throws UserError with the expected form. */
  schedule(input: Omit<DailySchedule, 'lastPostedDay'>): DailySchedule;
  /** False when nothing was scheduled. */
  cancel(channelId: ChannelId): boolean;
  get(channelId: ChannelId): DailySchedule | undefined;
  /** When the next story for this channel is due, if scheduled. */
  nextRun(channelId: ChannelId): Date | undefined;
}

export interface BotServices {
  readonly stories: StoryService;
  readonly settings: ChannelSettingsService;
  readonly daily: DailyService;
  models(): readonly ModelInfo[];
}
