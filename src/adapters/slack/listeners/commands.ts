import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { CommandContext, CommandDefinition } from '../../../core/command.js';
import { isUserError } from '../../../core/errors.js';
import { parseCommandText } from '../../../core/parse-command-text.js';
import { GENERIC_FAILURE, cannotPostHere, type SlackListenerDeps } from '../slack-context.js';
import { SLACK_PLATFORM, slackChannelId, slackUserId } from '../slack-ids.js';
import { escapeSlackText, unescapeSlackText } from '../slack-text.js';

/** One Bolt listener per platform-neutral command, under its own name (`/scifi`, …). */
export function register(app: App, commands: readonly CommandDefinition[], deps: SlackListenerDeps): void {
  for (const definition of commands) {
    app.command(`/${definition.name}`, async ({ command, ack, respond }) => {
      // Acknowledge first: Slack gives three seconds, and everything below may take longer.
      await ack();
      await runCommand(definition, command, respond, deps);
    });
  }
}

async function runCommand(
  definition: CommandDefinition,
  command: SlashCommand,
  respond: RespondFn,
  deps: SlackListenerDeps,
): Promise<void> {
  const { team_id: teamId, channel_id: channel, user_id: user } = command;
  const replyPrivately = async (text: string): Promise<void> => {
    // response_url works even where the bot is not a channel member; it allows five uses, and a
    // command answers privately once or twice at most. Stories never stream through it.
    try {
      await respond({ response_type: 'ephemeral', text: escapeSlackText(text) });
    } catch (error) {
      deps.logger.warn({ err: error }, 'response_url failed; falling back to chat.postEphemeral');
      await deps.messenger.postEphemeral(channel, user, text);
    }
  };
  // For answers given after something already went wrong: a failure here is only logged.
  const tellQuietly = (text: string): Promise<void> =>
    replyPrivately(text).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not tell the user'));
  const channelId = slackChannelId(teamId, channel);
  try {
    const context: CommandContext = {
      platform: SLACK_PLATFORM,
      channelId,
      userId: slackUserId(teamId, user),
      options: parseCommandText(definition.name, definition.options, unescapeSlackText(command.text ?? '')),
      canManageChannel: () => deps.admins.canManage(user),
      replyPrivately,
      storySurface: () =>
        deps.surface(channelId, {
          onPostRefused: (slackError) => void tellQuietly(cannotPostHere(slackError)),
        }),
      bot: deps.bot,
    };
    await definition.run(context);
  } catch (error) {
    if (isUserError(error)) {
      await tellQuietly(error.message);
      return;
    }
    deps.logger.error({ err: error, command: definition.name, channelId }, 'slash command failed');
    await tellQuietly(GENERIC_FAILURE);
  }
}
