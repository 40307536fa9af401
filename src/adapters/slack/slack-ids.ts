import type { ChannelId, UserId } from '../../core/ports.js';

/** Slack ids are `slack:<team>:<channel>` and `slack:<team>:<user>` for the core. */
export const SLACK_PLATFORM = 'slack';

export interface SlackChannelRef {
  readonly teamId: string;
  readonly channel: string;
}

export function slackChannelId(teamId: string, channel: string): ChannelId {
  return `${SLACK_PLATFORM}:${teamId}:${channel}`;
}

export function slackUserId(teamId: string, user: string): UserId {
  return `${SLACK_PLATFORM}:${teamId}:${user}`;
}

/** Throws for an id that is not a Slack channel id: a caller handed us another platform's id. */
export function parseSlackChannelId(channelId: ChannelId): SlackChannelRef {
  const [platform, teamId, channel, ...rest] = channelId.split(':');
  if (platform !== SLACK_PLATFORM || !teamId || !channel || rest.length > 0) {
    throw new Error(`not a Slack channel id: ${channelId}`);
  }
  return { teamId, channel };
}
