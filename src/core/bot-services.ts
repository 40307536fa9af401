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
}

export interface StoryOutcome {
  readonly status: 'done' | 'failed' | 'cancelled';
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
