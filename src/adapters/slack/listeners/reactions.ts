import type { App } from '@slack/bolt';
import { isUserError } from '../../../core/errors.js';
import { GENERIC_FAILURE, type SlackListenerDeps } from '../slack-context.js';
import { slackChannelId, slackUserId } from '../slack-ids.js';

/** Slack's name for 🔁. */
export const REGENERATE_REACTION = 'repeat';

/** :repeat: on one of the bot's stories → a new story from the same seed, in that story's thread. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.event('reaction_added', async ({ event, body }) => {
    if (event.reaction !== REGENERATE_REACTION || event.item.type !== 'message') return;
    const botUser = deps.botUserId();
    // Bolt's ignoreSelf already drops the bot's own events; this keeps the rule when that changes.
    if (botUser !== undefined && event.user === botUser) return;
    if (botUser !== undefined && event.item_user !== undefined && event.item_user !== botUser) return;
    if (!deps.events.firstTime(body.event_id)) {
      deps.logger.info({ eventId: body.event_id }, 'repeated delivery of a reaction; already handled');
      return;
    }
    const teamId = body.team_id;
    const { channel, ts } = event.item;
    const channelId = slackChannelId(teamId, channel);
    try {
      const threadTs = await deps.threads.rootOf(channel, ts);
      const started = await deps.bot.stories.regenerate({
        channelId,
        messageId: ts,
        userId: slackUserId(teamId, event.user),
        surface: deps.surface(channelId, { threadTs }),
      });
      if (!started) deps.logger.debug({ channelId, ts }, ':repeat: on a message that is not a story');
    } catch (error) {
      const text = isUserError(error) ? error.message : GENERIC_FAILURE;
      if (!isUserError(error)) deps.logger.error({ err: error, channelId, ts }, 'regeneration failed');
      await deps.messenger
        .postEphemeral(channel, event.user, text)
        .catch((e: unknown) => deps.logger.warn({ err: e }, 'could not tell the user'));
    }
  });
}
