import type { webApi } from '@slack/bolt';
import { MessageGoneError, MessageUneditableError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { platformError } from './slack-errors.js';
import { escapeSlackText, NO_MENTIONS } from './slack-text.js';
import type { ThreadRoots } from './thread-roots.js';
import type { WorkspaceRateLimiter } from './workspace-rate-limiter.js';

/** How often one call is retried after a 429 before the error is handed up. */
const RATE_LIMIT_ATTEMPTS = 6;

/**
 * The few Web API calls the adapter makes, each with its text escaped and mentions disabled, and
 * each honouring a 429's Retry-After. The WebClient is built with rejectRateLimitedCalls so that
 * 429s come here: a chat.update 429 pauses the workspace's shared bucket, not just one call.
 */
export class SlackMessenger {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly updates: WorkspaceRateLimiter,
    private readonly threads: ThreadRoots,
    private readonly logger: Logger,
  ) {}

  /** Posts a message (in a thread when threadTs is set); returns its ts. */
  async post(channel: string, text: string, threadTs?: string): Promise<string> {
    const send = () =>
      this.retryRateLimited('chat.postMessage', undefined, () =>
        this.client.chat.postMessage({
          channel,
          text: escapeSlackText(text),
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
          ...NO_MENTIONS,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
    const response = await send().catch(async (error: unknown) => {
      if (platformError(error) !== 'not_in_channel' || !(await this.join(channel))) throw error;
      return send();
    });
    if (typeof response.ts !== 'string') throw new Error('chat.postMessage returned no ts');
    this.threads.remember(channel, response.ts, threadTs);
    return response.ts;
  }

  /** Replaces a message's text, waiting for the workspace's chat.update bucket. */
  async update(teamId: string, channel: string, ts: string, text: string, final = false): Promise<void> {
    await this.retryRateLimited(
      'chat.update',
      teamId,
      () => this.client.chat.update({ channel, ts, text: escapeSlackText(text), ...NO_MENTIONS }),
      final,
    ).catch((error: unknown) => {
      const code = platformError(error);
      if (code === 'message_not_found') {
        throw new MessageGoneError(`Slack message ${channel}/${ts} was deleted`, { cause: error });
      }
      if (code !== undefined && UNEDITABLE_ERRORS.has(code)) {
        throw new MessageUneditableError(`Slack cannot update ${channel}/${ts}: ${code}`, { cause: error });
      }
      throw error;
    });
  }

  /**
   * Joins a public channel the bot was asked to write in. Slack sends reaction_added only for
   * conversations the app is in, so without joining, :repeat: on its stories would never arrive.
   * Private channels cannot be joined (the person is then asked to invite the bot).
   */
  private async join(channel: string): Promise<boolean> {
    try {
      await this.retryRateLimited('conversations.join', undefined, () => this.client.conversations.join({ channel }));
      this.logger.info({ channel }, 'joined the channel to write in it');
      return true;
    } catch (error) {
      this.logger.info({ channel, slackError: platformError(error) }, 'cannot join the channel');
      return false;
    }
  }

  /** A message only `user` sees. */
  async postEphemeral(channel: string, user: string, text: string): Promise<void> {
    await this.retryRateLimited('chat.postEphemeral', undefined, () =>
      this.client.chat.postEphemeral({ channel, user, text: escapeSlackText(text), ...NO_MENTIONS }),
    );
  }

  private async retryRateLimited<T>(
    method: string,
    bucketTeam: string | undefined,
    call: () => Promise<T>,
    urgent = false,
  ): Promise<T> {
    const bucket = bucketTeam === undefined ? undefined : this.updates.bucket(bucketTeam);
    for (let attempt = 1; ; attempt++) {
      await bucket?.take(urgent);
      try {
        return await call();
      } catch (error) {
        const retryAfterS = rateLimitedRetryAfter(error);
        if (retryAfterS === undefined || attempt >= RATE_LIMIT_ATTEMPTS) throw error;
        this.logger.warn({ method, retryAfterS, attempt }, 'Slack rate limit; waiting Retry-After');
        if (bucket) bucket.pauseFor(retryAfterS * 1000);
        else await sleep(retryAfterS * 1000);
      }
    }
  }
}

/**
 * chat.update errors for a message that is still there but can no longer be edited: the core
 * posts that part anew. (message_not_found means it was deleted: the story stops.)
 */
const UNEDITABLE_ERRORS = new Set(['cant_update_message', 'edit_window_closed']);

/** Retry-After in seconds when the error is a Web API 429, else undefined. */
function rateLimitedRetryAfter(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  if (code !== 'slack_webapi_rate_limited_error' || typeof retryAfter !== 'number') return undefined;
  return retryAfter;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
