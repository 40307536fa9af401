import { Client, Events, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { BotServices } from '../../core/bot-services.js';
import type { CommandDefinition } from '../../core/command.js';
import type { ChannelId, Logger, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import type { PlatformAdapter } from '../platform-adapter.js';
import { INTERACTION_TOKEN } from './deferred-reply.js';
import { DISCORD_PLATFORM } from './discord-ids.js';
import { DiscordStartError } from './discord-start-error.js';
import { DiscordMessenger, NO_MENTIONS } from './discord-messenger.js';
import { DiscordSurface, surfaceFromAddress } from './discord-surface.js';
import type { DiscordListenerDeps } from './listener-deps.js';
import * as commandListeners from './listeners/commands.js';
import * as reactionListeners from './listeners/reactions.js';
import { ChannelWriteBudget, type WriteBudgetOptions } from './write-budget.js';

/** Discord's defaults for this bot, written once. */
export const DISCORD_DEFAULTS = {
  /** ≥ 1 s between edits of one message is what Discord tolerates in practice. */
  editIntervalMs: 1_000,
  /**
   * Users and members discord.js keeps. The reactions intent (for 🔁) delivers every reaction in
   * every channel with its member, and discord.js would otherwise cache each one for good: in a
   * large public server that grows with everyone who ever reacted. The bot reads neither cache.
   */
  cachedUsers: 1_000,
  cachedMembers: 1_000,
} as const;

export interface DiscordAdapterOptions {
  readonly token: string;
  /** REST base URL, e.g. http://127.0.0.1:PORT/api for a fake Discord; Discord's own by default. */
  readonly apiBase?: string;
  readonly commands: readonly CommandDefinition[];
  readonly bot: BotServices;
  readonly logger: Logger;
  readonly editIntervalMs?: number;
  /** The channel write budget (≈5 writes per 5 s per channel by default). */
  readonly budget?: WriteBudgetOptions;
  /** Interaction token lifetime and safety margin (tests shorten them). */
  readonly interactionTokenLifetimeMs?: number;
  readonly interactionTokenMarginMs?: number;
}

export interface DiscordAdapter extends PlatformAdapter {
  /** The discord.js client (for diagnostics and tests; the adapter owns its lifecycle). */
  readonly client: Client;
}

/**
 * The Discord side of the bot: a discord.js v14 client with the least it needs — the Guilds
 * intent for slash commands and channels, GuildMessageReactions for 🔁, and the Message, Channel
 * and Reaction partials so reactions on messages it never cached (older ones, after a restart)
 * still arrive.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction],
    // The default for anything sent without explicit options; every send sets it explicitly too.
    allowedMentions: NO_MENTIONS,
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      // The bot's own user and member stay whatever the limit: discord.js reads them (guild.members.me).
      UserManager: { maxSize: DISCORD_DEFAULTS.cachedUsers, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: {
        maxSize: DISCORD_DEFAULTS.cachedMembers,
        keepOverLimit: (member) => member.id === member.client.user.id,
      },
    }),
    ...(options.apiBase ? { rest: { api: options.apiBase } } : {}),
  });
  const budget = new ChannelWriteBudget(options.budget);
  const messenger = new DiscordMessenger(client, budget, logger);
  const editIntervalMs = options.editIntervalMs ?? DISCORD_DEFAULTS.editIntervalMs;
  let accepting = true;
  const deps: DiscordListenerDeps = {
    client,
    commands: new Map(options.commands.map((c) => [c.name, c])),
    bot: options.bot,
    messenger,
    logger,
    editIntervalMs,
    tokenLifetimeMs: options.interactionTokenLifetimeMs ?? INTERACTION_TOKEN.lifetimeMs,
    tokenMarginMs: options.interactionTokenMarginMs ?? INTERACTION_TOKEN.marginMs,
    accepting: () => accepting,
  };
  commandListeners.register(deps);
  reactionListeners.register(deps);
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord.js client error'));
  client.on(Events.Warn, (message) => logger.warn({ source: 'discord.js' }, message));
  const surfaceBase = { messenger, logger, editIntervalMs };

  return {
    platform: DISCORD_PLATFORM,
    client,

    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token).catch((error: unknown) => {
        throw DiscordStartError.fromLoginFailure(error, options.apiBase);
      });
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord connected');
    },

    /**
     * Closes the Gateway (no new events); REST stays usable so the caller can still finish the
     * edits of stories in flight. client.destroy() also forgets the token, so it is set again.
     */
    async stop() {
      accepting = false;
      await client.destroy();
      client.rest.setToken(options.token);
    },

    channelSurface(channelId: ChannelId): MessageSurface {
      return new DiscordSurface({ ...surfaceBase, channelId });
    },

    resumeSurface(address: SurfaceAddress): MessageSurface {
      return surfaceFromAddress(address, surfaceBase);
    },
  };
}
