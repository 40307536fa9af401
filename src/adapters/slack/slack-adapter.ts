import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { BotServices } from '../../core/bot-services.js';
import type { CommandDefinition } from '../../core/command.js';
import type { ChannelId, Logger, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import type { PlatformAdapter } from '../platform-adapter.js';
import { AdminCheck } from './admin-check.js';
import { boltLogger } from './bolt-logger.js';
import { EventDeduplicator } from './event-dedup.js';
import * as commandListeners from './listeners/commands.js';
import * as reactionListeners from './listeners/reactions.js';
import type { SlackListenerDeps } from './slack-context.js';
import { SlackStartError } from './slack-errors.js';
import { SLACK_PLATFORM } from './slack-ids.js';
import { SlackMessenger } from './slack-messenger.js';
import { SlackSurface, threadTsOf } from './slack-surface.js';
import { ThreadRoots } from './thread-roots.js';
import { WorkspaceRateLimiter } from './workspace-rate-limiter.js';

/** Slack's defaults, written once. */
export const SLACK_DEFAULTS = {
  /** chat.update is Tier 3: about 50 calls a minute per workspace. */
  updatesPerMinute: 50,
  /** A few updates may go out back to back before the bucket's pace applies. */
  updateBurst: 5,
  /** Gap between two edits of one message; the workspace bucket decides the rest. */
  editIntervalMs: 1500,
  /** How long a users.info admin answer is trusted. */
  adminCacheMs: 60_000,
  /**
   * Largest HTTP request body read (Bolt's own default is 4 MB). A body is read in full before its
   * signature can be checked, so anyone on the internet can make the bot hold this much per
   * connection; slash commands and the events the bot subscribes to are a few kilobytes.
   */
  requestBodyLimit: 128 * 1024,
} as const;

/** How to reach one Slack app: what the configuration provides. */
export interface SlackConnection {
  readonly botToken: string;
  readonly signingSecret: string;
  /** Set → Socket Mode (no public URL needed); unset → HTTP on `port`, path /slack/events. */
  readonly appToken?: string;
  readonly port: number;
  /** Web API base URL, e.g. http://127.0.0.1:PORT/api/ for a fake Slack; Slack's own by default. */
  readonly apiUrl?: string;
  /** Slack user ids (U…) that may change channel settings besides workspace admins and owners. */
  readonly adminUsers: readonly string[];
}

export interface SlackAdapterOptions extends SlackConnection {
  readonly commands: readonly CommandDefinition[];
  readonly bot: BotServices;
  readonly logger: Logger;
  readonly updatesPerMinute?: number;
  readonly updateBurst?: number;
  readonly editIntervalMs?: number;
  readonly adminCacheMs?: number;
}

export interface SlackAdapter extends PlatformAdapter {
  /** The HTTP port actually listened on (useful with port 0); undefined in Socket Mode. */
  httpPort(): number | undefined;
}

/** The Slack side of the bot: a Bolt App whose listeners translate Slack events into core calls. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const logger = options.logger;
  const socketMode = options.appToken !== undefined && options.appToken !== '';
  const boltLog = boltLogger(logger);
  const app = new App({
    token: options.botToken,
    ...(socketMode
      ? { appToken: options.appToken, socketMode: true, signingSecret: options.signingSecret, signatureVerification: true }
      : {
          receiver: new HTTPReceiver({
            signingSecret: options.signingSecret,
            port: options.port,
            // Signature verification (v0 HMAC, 5-minute timestamps) stays on: it is Bolt's default.
            signatureVerification: true,
            bodyLimit: SLACK_DEFAULTS.requestBodyLimit,
            logger: boltLog,
          }),
        }),
    logger: boltLog,
    // Bolt would check the token with auth.test while constructing; start() does that instead.
    deferInitialization: true,
    clientOptions: {
      ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
      // 429s come back to SlackMessenger, which pauses the whole workspace's bucket.
      rejectRateLimitedCalls: true,
      // Network errors and 5xx: a few quick retries, not the default half hour.
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    },
  });

  const limiter = new WorkspaceRateLimiter(
    options.updatesPerMinute ?? SLACK_DEFAULTS.updatesPerMinute,
    options.updateBurst ?? SLACK_DEFAULTS.updateBurst,
  );
  const threads = new ThreadRoots(app.client, logger);
  const messenger = new SlackMessenger(app.client, limiter, threads, logger);
  const editIntervalMs = options.editIntervalMs ?? SLACK_DEFAULTS.editIntervalMs;
  let botUserId: string | undefined;
  let server: Server | undefined;

  const surface: SlackListenerDeps['surface'] = (channelId, extra = {}) =>
    new SlackSurface(messenger, { channelId, editIntervalMs, ...extra });

  const deps: SlackListenerDeps = {
    bot: options.bot,
    messenger,
    admins: new AdminCheck(
      app.client,
      new Set(options.adminUsers),
      options.adminCacheMs ?? SLACK_DEFAULTS.adminCacheMs,
      logger,
    ),
    threads,
    events: new EventDeduplicator(),
    logger,
    botUserId: () => botUserId,
    surface,
  };
  commandListeners.register(app, options.commands, deps);
  reactionListeners.register(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener error');
  });

  return {
    platform: SLACK_PLATFORM,

    async start() {
      let auth: Awaited<ReturnType<typeof app.client.auth.test>>;
      try {
        await app.init();
        auth = await app.client.auth.test();
      } catch (error) {
        const variables = 'SLACK_BOT_TOKEN (and SLACK_API_URL if set)';
        throw new SlackStartError('Slack did not accept the bot token', variables, error);
      }
      // Ignoring the bot's own reactions needs its user id; without it, refuse to start.
      if (typeof auth.user_id !== 'string') {
        const variable = 'SLACK_BOT_TOKEN (an xoxb- token)';
        throw new SlackStartError('Slack knows no bot user for this token', variable, 'no user_id');
      }
      botUserId = auth.user_id;
      try {
        if (socketMode) await app.start();
        else server = (await app.start(options.port)) as Server;
      } catch (error) {
        if (socketMode) {
          throw new SlackStartError('Slack did not open a Socket Mode connection', 'SLACK_APP_TOKEN', error);
        }
        throw new SlackStartError(`Cannot listen for Slack on port ${options.port}`, 'SLACK_PORT', error);
      }
      logger.info(
        { team: auth.team_id, botUserId, mode: socketMode ? 'socket' : 'http', port: this.httpPort() },
        'Slack adapter ready',
      );
    },

    async stop() {
      await app.stop();
      server = undefined;
    },

    httpPort() {
      const address = server?.address();
      return address !== null && typeof address === 'object' ? (address as AddressInfo).port : undefined;
    },

    channelSurface(channelId: ChannelId): MessageSurface {
      return surface(channelId);
    },

    resumeSurface(address: SurfaceAddress): MessageSurface {
      const threadTs = threadTsOf(address);
      return new SlackSurface(messenger, {
        channelId: address.channelId,
        messageIds: address.messageIds,
        editIntervalMs,
        ...(threadTs === undefined ? {} : { threadTs }),
      });
    },
  };
}
