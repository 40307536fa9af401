import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DISCORD_HEARTBEAT_INTERVAL_MS, FakeGateway } from './gateway.js';
import type { AllowedMentionsBody } from './mentions.js';
import { pingsFor } from './mentions.js';
import { handleRest, type RestResponse } from './rest-api.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeInteraction, FakeMessage, RateLimitRule, RecordedRequest, RegisteredCommands } from './types.js';
import { pollUntil } from '../poll.js';

export type { FakeInteraction, FakeMessage, RecordedRequest } from './types.js';

const MANAGE_CHANNELS = 1n << 4n;
/** View channel, send messages, read history, add reactions, use application commands. */
const MEMBER_BASE = (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n) | (1n << 31n);

export interface InteractionInput {
  readonly command: string;
  readonly options?: Readonly<Record<string, string | number>>;
  readonly userId?: string;
  /** Whether the member holds Manage Channels (through a role or directly). */
  readonly manageChannels?: boolean;
}

/**
 * A small Discord on 127.0.0.1: REST v10 under /api and a Gateway WebSocket, with one guild and
 * one text channel. It records every request so tests can assert what the real client sent, and
 * it can inject 429s and expired interaction tokens.
 */
export class FakeDiscord {
  readonly token = 'fake-bot-token';
  readonly botUserId = nextSnowflake();
  readonly applicationId = this.botUserId;
  readonly guildId = nextSnowflake();
  readonly channelId = nextSnowflake();
  readonly requests: RecordedRequest[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly registeredCommands: RegisteredCommands[] = [];
  private readonly rateLimits: RateLimitRule[] = [];
  /** Set by denyBotWrites: what Discord answers the bot token's posts and edits in the channel. */
  botWriteRefusal: { readonly code: 50001 | 50013; readonly message: string } | undefined;
  private readonly server: Server;
  readonly gateway: FakeGateway;
  private port = 0;

  constructor(options: { heartbeatIntervalMs?: number } = {}) {
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.gateway = new FakeGateway(this, options.heartbeatIntervalMs ?? DISCORD_HEARTBEAT_INTERVAL_MS);
    this.server.on('upgrade', (req, socket, head) => this.gateway.upgrade(req, socket, head));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What DISCORD_API_BASE would be set to (discord.js appends /v10). */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  // ── fault injection ──────────────────────────────────────────────────────────────────────────

  /**
   * The next `times` requests matching method, path (and `when`, on the JSON body) get a 429 with
   * this retry_after, as Discord sends it (Retry-After header and body, no bucket headers).
   */
  rateLimit(rule: { method: string; path: RegExp; retryAfterSeconds: number; times?: number; when?: (body: unknown) => boolean }): void {
    this.rateLimits.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /**
   * From now on the bot token may not write in the channel, as when a server takes away the bot's
   * Send Messages (403, 50013 Missing Permissions) or View Channel (403, 50001 Missing Access).
   * Interaction responses and follow-ups still work: Discord does not check channel permissions
   * for them.
   */
  denyBotWrites(code: 50001 | 50013 = 50013): void {
    this.botWriteRefusal = { code, message: code === 50001 ? 'Missing Access' : 'Missing Permissions' };
  }

  /** From now on the interaction's webhook answers 401 / 50027 Invalid Webhook Token. */
  expireInteraction(token: string): void {
    const interaction = this.interactions.get(token);
    if (interaction) interaction.expired = true;
  }

  // ── events the tests cause ───────────────────────────────────────────────────────────────────

  /** Dispatches INTERACTION_CREATE for a slash command; returns the interaction (id and token). */
  sendCommand(input: InteractionInput): FakeInteraction {
    const userId = input.userId ?? '111111111111111111';
    const interaction: FakeInteraction = {
      id: nextSnowflake(),
      token: `itoken-${nextSnowflake()}`,
      channelId: this.channelId,
      commandName: input.command,
      createdAt: Date.now(),
      state: 'pending',
      ephemeral: false,
      loading: false,
      expired: false,
    };
    this.interactions.set(interaction.token, interaction);
    const permissions = (MEMBER_BASE | (input.manageChannels ? MANAGE_CHANNELS : 0n)).toString();
    const options = Object.entries(input.options ?? {}).map(([name, value]) => ({
      name,
      type: typeof value === 'number' ? 10 : 3,
      value,
    }));
    this.gateway.dispatch('INTERACTION_CREATE', {
      id: interaction.id,
      application_id: this.applicationId,
      type: 2,
      token: interaction.token,
      version: 1,
      guild_id: this.guildId,
      channel_id: this.channelId,
      channel: { ...this.channelJson(), permissions: permissions },
      member: {
        user: this.userJson(userId),
        roles: [],
        permissions,
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      data: { id: nextSnowflake(), name: input.command, type: 1, options },
      app_permissions: (MEMBER_BASE | MANAGE_CHANNELS).toString(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
    });
    return interaction;
  }

  /** Dispatches MESSAGE_REACTION_ADD as Discord does: ids only, no message content. */
  react(messageId: string, userId: string, emoji = '🔁'): void {
    const author = this.messages.get(messageId)?.authorId;
    this.gateway.dispatch('MESSAGE_REACTION_ADD', {
      user_id: userId,
      channel_id: this.channelId,
      message_id: messageId,
      guild_id: this.guildId,
      member: { user: this.userJson(userId), roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
      emoji: { id: null, name: emoji },
      burst: false,
      burst_colors: [],
      type: 0,
      ...(author ? { message_author_id: author } : {}),
    });
  }

  /** A message by someone else, as if a person had written it. */
  postAsUser(userId: string, content: string): FakeMessage {
    return this.storeMessage({ channelId: this.channelId, content, flags: 0, authorId: userId });
  }

  // ── what the tests inspect ───────────────────────────────────────────────────────────────────

  /** Messages in the channel that are not deleted, oldest first. */
  channelMessages(): FakeMessage[] {
    return [...this.messages.values()].filter((m) => !m.deleted);
  }

  /** Requests that created or changed a message (the ones that must carry allowed_mentions). */
  messageWrites(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        (r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) ||
        (r.method === 'PATCH' && /\/messages\/(\d+|@original)$/.test(r.path)) ||
        (r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path)) ||
        (r.method === 'POST' && /\/callback$/.test(r.path) && (r.body as { type?: number }).type === 4),
    );
  }

  /** Resolves once `predicate` holds, polling; rejects with `what` after timeoutMs. */
  waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return pollUntil(predicate, what, timeoutMs, 20);
  }

  // ── shared by the REST handlers and the gateway ──────────────────────────────────────────────

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  gatewayBot(): object {
    return {
      url: this.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 60_000, max_concurrency: 1 },
    };
  }

  botUser(): object {
    return { ...this.userJson(this.botUserId), username: 'scifi', bot: true, verified: true, flags: 0, mfa_enabled: false };
  }

  userJson(id: string): object {
    return { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null, bot: id === this.botUserId };
  }

  channelJson(): object {
    return { id: this.channelId, type: 0, guild_id: this.guildId, name: 'stories', position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, parent_id: null, rate_limit_per_user: 0 };
  }

  guildJson(): object {
    return {
      id: this.guildId,
      name: 'Fake Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: '999999999999999999',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [{ id: this.guildId, name: '@everyone', permissions: MEMBER_BASE.toString(), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      unavailable: false,
      joined_at: new Date(0).toISOString(),
      large: false,
      member_count: 2,
      members: [],
      channels: [this.channelJson()],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  storeMessage(input: {
    channelId: string;
    content: string;
    flags: number;
    authorId?: string;
    interactionToken?: string;
    replyTo?: string;
    allowedMentions?: AllowedMentionsBody | undefined;
  }): FakeMessage {
    const m: FakeMessage = {
      id: nextSnowflake(),
      channelId: input.channelId,
      guildId: this.guildId,
      authorId: input.authorId ?? this.botUserId,
      content: input.content,
      contents: [input.content],
      flags: input.flags,
      allowedMentions: [input.allowedMentions],
      pings: pingsFor(input.content, input.allowedMentions),
      deleted: false,
      ...(input.interactionToken !== undefined ? { interactionToken: input.interactionToken } : {}),
      ...(input.replyTo !== undefined ? { replyTo: input.replyTo } : {}),
    };
    this.messages.set(m.id, m);
    return m;
  }

  /** A message the bot token may see: in that channel, not deleted, not ephemeral. */
  visibleMessage(channelId: string | undefined, id: string | undefined): FakeMessage | undefined {
    const m = this.messages.get(id ?? '');
    if (!m || m.deleted || m.channelId !== channelId || (m.flags & (1 << 6)) !== 0) return undefined;
    return m;
  }

  messageJson(m: FakeMessage): object {
    return {
      id: m.id,
      channel_id: m.channelId,
      guild_id: m.guildId,
      author: m.authorId === this.botUserId ? this.botUser() : this.userJson(m.authorId),
      content: m.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: m.contents.length > 1 ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: m.pings.some((p) => p.startsWith('@')),
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: m.replyTo ? 19 : m.interactionToken ? 20 : 0,
      flags: m.flags,
      ...(m.interactionToken ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...(m.replyTo ? { message_reference: { type: 0, message_id: m.replyTo, channel_id: m.channelId, guild_id: m.guildId } } : {}),
    };
  }

  // ── HTTP plumbing ────────────────────────────────────────────────────────────────────────────

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = Buffer.concat(chunks).toString('utf8');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname).replace(/^\/api\/v10/, ''),
      query: Object.fromEntries(url.searchParams),
      body: raw.length > 0 && (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw) as unknown) : undefined,
      authorization: req.headers.authorization,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(record);
    const response = this.takeRateLimit(record) ?? handleRest(this, record);
    record.status = response.status;
    const headers: Record<string, string> = { ...response.headers };
    if (response.body !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(response.status, headers);
    res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
  }

  private takeRateLimit(req: RecordedRequest): RestResponse | undefined {
    const rule = this.rateLimits.find(
      (r) => r.remaining > 0 && r.method === req.method && r.path.test(req.path) && (r.when?.(req.body) ?? true),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return {
      status: 429,
      headers: { 'retry-after': String(rule.retryAfterSeconds), 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: rule.retryAfterSeconds, global: false },
    };
  }
}
