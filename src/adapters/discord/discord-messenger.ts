import {
  DiscordAPIError,
  InteractionWebhook,
  MessageFlags,
  RESTEvents,
  RESTJSONErrorCodes,
  type Client,
  type MessageMentionOptions,
  type SendableChannels,
} from 'discord.js';
import { MessageGoneError, PermanentPlatformError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import type { ChannelWriteBudget } from './write-budget.js';

/** Every message the bot sends or edits pings no one: generated text may contain anything. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

/** An interaction's webhook: the application id and the 15-minute interaction token. */
export interface InteractionHook {
  readonly applicationId: string;
  readonly token: string;
}

/** How long a webhook token is remembered for attributing a 429 to its channel. */
const HOOK_MEMORY_MS = 20 * 60_000;

/**
 * The only place that writes messages to Discord. Each write first takes a slot from the
 * channel's budget and always carries NO_MENTIONS; 429s are retried by discord.js's REST queue
 * (the awaited call simply takes longer) and pause the channel's budget for their retry_after.
 */
export class DiscordMessenger {
  /** The `app/token` part of a webhook route → the channel it writes to (to place a 429). */
  private readonly hookChannels = new Map<string, { channelId: string; at: number }>();

  constructor(
    private readonly client: Client,
    private readonly budget: ChannelWriteBudget,
    private readonly logger: Logger,
  ) {
    // discord.js retries a 429 itself after retry_after but emits no event for it (RateLimited is
    // only its own pre-emptive wait): the response event is where a 429 can be seen.
    client.rest.on(RESTEvents.Response, (request, response) => {
      if (response.status === 429) this.onRateLimited(request.method, request.path, response.headers.get('retry-after'));
    });
  }

  /** Posts a new message in the channel, optionally as a reply; returns its id. */
  async channelPost(channelId: string, text: string, replyToMessageId?: string): Promise<string> {
    const channel = await this.sendableChannel(channelId);
    const message = await this.budget.write(channelId, undefined, (): Promise<{ id: string }> =>
      channel.send({
        content: text,
        allowedMentions: NO_MENTIONS,
        ...(replyToMessageId ? { reply: { messageReference: replyToMessageId, failIfNotExists: false } } : {}),
      }).catch(rethrowNoAccess),
    );
    return message.id;
  }

  /** Edits a message the bot owns through the bot token (no interaction token needed). */
  async channelEdit(channelId: string, messageId: string, text: string): Promise<void> {
    const channel = await this.sendableChannel(channelId);
    await this.budget.write(channelId, messageId, () =>
      channel.messages.edit(messageId, { content: text, allowedMentions: NO_MENTIONS }).catch(rethrowGone).catch(rethrowNoAccess),
    );
  }

  /** Edits a message of an interaction (`@original` for its first response); returns the real id. */
  async webhookEdit(channelId: string, hook: InteractionHook, messageId: string, text: string): Promise<string> {
    // '@original' names a different message for every interaction: key its pacing by token.
    const editKey = messageId === '@original' ? `${hook.token}/@original` : messageId;
    const message = await this.budget.write(channelId, editKey, () =>
      this.webhook(channelId, hook)
        .editMessage(messageId, { content: text, allowedMentions: NO_MENTIONS })
        // A deleted interaction response answers 10008 too: the core then stops the story.
        .catch((error: unknown) => rethrowGone(redactDiscordError(error))),
    );
    return message.id;
  }

  /** A follow-up message of an interaction (public unless `ephemeral`); returns its id. */
  async webhookFollowUp(channelId: string, hook: InteractionHook, text: string, ephemeral = false): Promise<string> {
    const message = await this.budget.write(channelId, undefined, () =>
      this.webhook(channelId, hook)
        .send({
          content: text,
          allowedMentions: NO_MENTIONS,
          ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
        })
        .catch(rethrowRedacted),
    );
    return message.id;
  }

  private webhook(channelId: string, hook: InteractionHook): InteractionWebhook {
    const now = Date.now();
    this.hookChannels.set(`${hook.applicationId}/${hook.token}`, { channelId, at: now });
    if (this.hookChannels.size > 100) {
      for (const [key, entry] of this.hookChannels) if (entry.at < now - HOOK_MEMORY_MS) this.hookChannels.delete(key);
    }
    return new InteractionWebhook(this.client as Client<true>, hook.applicationId, hook.token);
  }

  private async sendableChannel(channelId: string): Promise<SendableChannels & { messages: { edit: EditFn } }> {
    const channel = await this.client.channels.fetch(channelId).catch(rethrowNoAccess);
    if (!channel?.isSendable() || !('messages' in channel)) {
      throw new PermanentPlatformError(`Discord channel ${channelId} cannot take messages`);
    }
    return channel as SendableChannels & { messages: { edit: EditFn } };
  }

  private onRateLimited(method: string, path: string, retryAfterHeader: string | null): void {
    const retryAfterMs = Math.max(0, Number(retryAfterHeader ?? 0) * 1000) || 1000;
    const hook = /^\/webhooks\/(\d+\/[^/?]+)/.exec(path)?.[1];
    const channelId = hook !== undefined ? this.hookChannels.get(hook)?.channelId : /^\/channels\/(\d+)/.exec(path)?.[1];
    this.logger.warn({ method, path: redactToken(path), retryAfterMs, channelId }, 'Discord rate limit hit; pausing writes');
    if (channelId !== undefined) this.budget.pause(channelId, retryAfterMs);
  }
}

/** Interaction tokens are credentials for 15 minutes: keep them out of logs. */
function redactToken(path: string): string {
  return path.replace(/(\/(?:webhooks|interactions)\/\d+\/)[^/?]+/, '$1…');
}

/** A Discord error without the interaction token in its URL (errors get logged with their URL). */
export function redactDiscordError(error: unknown): unknown {
  if (error instanceof DiscordAPIError) error.url = redactToken(error.url);
  return error;
}

function rethrowRedacted(error: unknown): never {
  throw redactDiscordError(error);
}

/** Unknown Message: someone deleted it, so the core stops the story instead of retrying the edit. */
function rethrowGone(error: unknown): never {
  if (error instanceof DiscordAPIError && error.code === 10008) {
    throw new MessageGoneError(`Discord message is gone: ${error.message}`, { cause: error });
  }
  throw error;
}

/**
 * Refusals that retrying cannot fix: the bot may not see the channel (50001 Missing Access), may
 * not write or reply there (50013 Missing Permissions; 160002 a reply needs Read Message History),
 * or the channel is gone (10003 Unknown Channel). The core then gives up at once instead of
 * retrying the write.
 */
const NO_ACCESS_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotReplyWithoutPermissionToReadMessageHistory,
]);

function rethrowNoAccess(error: unknown): never {
  if (error instanceof DiscordAPIError && typeof error.code === 'number' && NO_ACCESS_CODES.has(error.code)) {
    throw new PermanentPlatformError(`Discord refused the write: ${error.message}`, { cause: error });
  }
  throw error;
}

type EditFn = (messageId: string, options: { content: string; allowedMentions: MessageMentionOptions }) => Promise<unknown>;

/** The interaction token no longer works (expired or revoked): write through the bot token. */
export function isInteractionTokenGone(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === 50027 /* Invalid Webhook Token */ ||
      error.code === 10015 /* Unknown Webhook */ ||
      error.status === 401)
  );
}
