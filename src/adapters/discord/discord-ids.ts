import type { ChannelId, UserId } from '../../core/ports.js';

export const DISCORD_PLATFORM = 'discord';

/** `discord:<guild>:<channel>`: the core's opaque channel id. */
export function discordChannelId(guildId: string, channelId: string): ChannelId {
  return `${DISCORD_PLATFORM}:${guildId}:${channelId}`;
}

/** `discord:<guild>:<user>`: per-guild, like channel settings. */
export function discordUserId(guildId: string, userId: string): UserId {
  return `${DISCORD_PLATFORM}:${guildId}:${userId}`;
}

export interface DiscordChannelRef {
  readonly guildId: string;
  readonly channelId: string;
}

/** The Discord ids inside a core channel id; throws for another platform's id. */
export function parseDiscordChannelId(id: ChannelId): DiscordChannelRef {
  const [platform, guildId, channelId] = id.split(':');
  if (platform !== DISCORD_PLATFORM || !guildId || !channelId) {
    throw new Error(`not a Discord channel id: ${id}`);
  }
  return { guildId, channelId };
}
