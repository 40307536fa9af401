import type { AllowedMentionsBody } from './mentions.js';

/** A message as the fake stores it; `contents` keeps every version, so tests can count edits. */
export interface FakeMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string;
  readonly authorId: string;
  content: string;
  /** Every content the message has shown, in order (the first is what was posted). */
  readonly contents: string[];
  flags: number;
  /** Set for interaction responses and follow-ups. */
  readonly interactionToken?: string;
  readonly replyTo?: string;
  /** Every allowed_mentions body the message was sent or edited with (undefined = absent). */
  readonly allowedMentions: (AllowedMentionsBody | undefined)[];
  /** Who Discord would have pinged across all versions. */
  readonly pings: string[];
  deleted: boolean;
}

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  readonly commandName: string;
  /** When it was dispatched: Discord refuses an acknowledgement after 3 s. */
  readonly createdAt: number;
  state: 'pending' | 'deferred' | 'replied';
  ephemeral: boolean;
  /** The message that holds the (deferred) response. */
  originalMessageId?: string;
  /** The response is still the "thinking…" placeholder: the first follow-up replaces it. */
  loading: boolean;
  expired: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path after /api/v10, e.g. /channels/123/messages. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
  status: number;
  readonly at: number;
}

export interface RateLimitRule {
  readonly method: string;
  readonly path: RegExp;
  readonly retryAfterSeconds: number;
  /** Only requests whose JSON body passes this are limited (e.g. the final edit). */
  readonly when?: (body: unknown) => boolean;
  remaining: number;
}

export interface RegisteredCommands {
  readonly scope: string;
  readonly commands: readonly Record<string, unknown>[];
}
