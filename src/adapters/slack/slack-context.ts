import type { BotServices } from '../../core/bot-services.js';
import type { ChannelId, Logger, MessageSurface } from '../../core/ports.js';
import type { AdminCheck } from './admin-check.js';
import type { EventDeduplicator } from './event-dedup.js';
import type { SlackMessenger } from './slack-messenger.js';
import type { ThreadRoots } from './thread-roots.js';

export interface SurfaceExtras {
  readonly threadTs?: string;
  readonly onPostRefused?: (slackError: string) => void;
}

/** What the listeners share; built once by the adapter. */
export interface SlackListenerDeps {
  readonly bot: BotServices;
  readonly messenger: SlackMessenger;
  readonly admins: AdminCheck;
  readonly threads: ThreadRoots;
  readonly events: EventDeduplicator;
  readonly logger: Logger;
  /** The bot's own user id (auth.test), known once the adapter started. */
  botUserId(): string | undefined;
  /** A surface posting a new message, in a thread when threadTs is given. */
  surface(channelId: ChannelId, options?: SurfaceExtras): MessageSurface;
}

/** Shown when something other than a UserError went wrong; details go to the log only. */
export const GENERIC_FAILURE = 'Something went wrong on our side; please try again in a moment.';

/** Why a story could not be posted, and what to do about it. */
export function cannotPostHere(slackError: string): string {
  return slackError === 'is_archived'
    ? 'I cannot post in an archived channel.'
    : 'I cannot post in this conversation yet. Invite me first (`/invite @scifi`), then try again.';
}
