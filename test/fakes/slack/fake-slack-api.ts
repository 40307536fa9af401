import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pingsIn, unescapeSlackText } from './mentions.js';

export interface RecordedCall {
  readonly method: string;
  /** Form fields (or JSON fields, stringified) exactly as the client sent them. */
  readonly params: Readonly<Record<string, string>>;
  readonly token: string | undefined;
  readonly at: number;
}

export interface FakeSlackMessage {
  readonly channel: string;
  readonly ts: string;
  /** Raw text as stored by Slack (still escaped). */
  text: string;
  readonly threadTs?: string;
  readonly user: string;
  /** Every text this message showed, in order (post, then each update). */
  readonly history: string[];
}

export interface FakeUser {
  readonly id: string;
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
}

/** A response_url POST (ephemeral answers to slash commands). */
export interface RecordedResponse {
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Slack's hard limit: longer text is refused (4 000 is the readable limit the bot keeps to). */
const SLACK_TEXT_LIMIT = 40_000;

/**
 * A small Slack Web API on 127.0.0.1 (`/api/<method>`, form-encoded, Bearer tokens) with one
 * workspace. It stores messages, records every call, can answer the next calls of a method with
 * 429 + Retry-After, serves response_url posts under `/respond/…`, and reports who a message
 * would ping.
 */
export class FakeSlackApi {
  readonly teamId = 'T0FAKE';
  readonly botToken = 'xoxb-fake-bot-token';
  readonly appToken = 'xapp-fake-app-token';
  readonly botUserId = 'UBOT0001';
  readonly botId = 'BBOT0001';
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeSlackMessage[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Private channels the bot was not invited to: posting fails with not_in_channel, joining is refused. */
  readonly closedChannels = new Set<string>();
  /** Public channels the bot is not a member of: posting fails with not_in_channel until it joins. */
  readonly unjoinedChannels = new Set<string>();
  /** Where apps.connections.open sends Socket Mode clients; set by the socket server. */
  socketModeUrl: string | undefined;
  private readonly rateLimited = new Map<string, { count: number; retryAfterS: number }>();
  private readonly server: Server;
  private clock = 1_700_000_000;
  private sequence = 0;
  private port = 0;

  constructor() {
    this.server = createServer((req, res) => void this.onRequest(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** For the client's slackApiUrl. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url for one slash command. */
  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/respond/${++this.sequence}`;
  }

  /** The next `count` calls of `method` get 429 with Retry-After. */
  rateLimitNext(method: string, retryAfterS: number, count = 1): void {
    this.rateLimited.set(method, { count, retryAfterS });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A message the bot (or a test, as a user) put in a channel. */
  postAs(user: string, channel: string, text: string): FakeSlackMessage {
    const message: FakeSlackMessage = { channel, ts: this.nextTs(), text, user, history: [text] };
    this.messages.push(message);
    return message;
  }

  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Messages in a channel that are not thread replies. */
  topLevel(channel: string): FakeSlackMessage[] {
    return this.messages.filter((m) => m.channel === channel && (m.threadTs === undefined || m.threadTs === m.ts));
  }

  replies(channel: string, threadTs: string): FakeSlackMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs && m.ts !== threadTs);
  }

  /** Every ping any bot call would have caused (text of posts, updates and ephemerals). */
  pings(): string[] {
    return this.calls
      .filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(c.method))
      .flatMap((c) => pingsIn(c.params['text'] ?? '', c.params));
  }

  /** Text as a reader sees it. */
  static visible(message: FakeSlackMessage): string {
    return unescapeSlackText(message.text);
  }

  private nextTs(): string {
    this.clock += 1;
    return `${this.clock}.${String(++this.sequence).padStart(6, '0')}`;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ path: url.pathname, body: JSON.parse(body || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const params = parseParams(req.headers['content-type'] ?? '', body);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? params['token'];
    this.calls.push({ method, params, token, at: Date.now() });

    const limit = this.rateLimited.get(method);
    if (limit && limit.count > 0) {
      limit.count -= 1;
      res.writeHead(429, { 'retry-after': String(limit.retryAfterS), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    const result = token === expected ? this.handle(method, params) : { ok: false, error: 'invalid_auth' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  }

  private handle(method: string, p: Readonly<Record<string, string>>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'scifi',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case 'chat.postMessage': {
        const text = p['text'] ?? '';
        if (!p['channel']) return { ok: false, error: 'channel_not_found' };
        if (this.closedChannels.has(p['channel']) || this.unjoinedChannels.has(p['channel'])) {
          return { ok: false, error: 'not_in_channel' };
        }
        if (text.length > SLACK_TEXT_LIMIT) return { ok: false, error: 'msg_too_long' };
        const threadTs = p['thread_ts'];
        if (threadTs !== undefined && !this.message(p['channel'], threadTs)) {
          return { ok: false, error: 'thread_not_found' };
        }
        const message: FakeSlackMessage = {
          channel: p['channel'],
          ts: this.nextTs(),
          text,
          user: this.botUserId,
          history: [text],
          ...(threadTs === undefined ? {} : { threadTs }),
        };
        this.messages.push(message);
        const posted = { text, user: this.botUserId, ts: message.ts };
        return { ok: true, channel: message.channel, ts: message.ts, message: posted };
      }
      case 'chat.update': {
        const message = this.message(p['channel'] ?? '', p['ts'] ?? '');
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.user !== this.botUserId) return { ok: false, error: 'cant_update_message' };
        const text = p['text'] ?? '';
        if (text.length > SLACK_TEXT_LIMIT) return { ok: false, error: 'msg_too_long' };
        message.text = text;
        message.history.push(text);
        return { ok: true, channel: message.channel, ts: message.ts, text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'users.info': {
        const user = this.users.get(p['user'] ?? '');
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { is_admin: false, is_owner: false, is_primary_owner: false, ...user } };
      }
      case 'conversations.replies': {
        const message = this.message(p['channel'] ?? '', p['ts'] ?? '');
        if (!message) return { ok: false, error: 'thread_not_found' };
        const root = message.threadTs ? (this.message(message.channel, message.threadTs) ?? message) : message;
        const thread = root.threadTs ? { thread_ts: root.threadTs } : {};
        return { ok: true, messages: [{ ts: root.ts, text: root.text, ...thread }] };
      }
      case 'conversations.join': {
        const channel = p['channel'] ?? '';
        // Slack's answer for a private channel (groups cannot be joined, only invited to).
        if (this.closedChannels.has(channel)) return { ok: false, error: 'method_not_supported_for_channel_type' };
        this.unjoinedChannels.delete(channel);
        return { ok: true, channel: { id: channel, is_member: true } };
      }
      case 'apps.connections.open':
        if (!this.socketModeUrl) return { ok: false, error: 'socket_mode_not_enabled' };
        return { ok: true, url: this.socketModeUrl };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(contentType: string, body: string): Record<string, string> {
  if (contentType.includes('application/json')) {
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(body));
}
