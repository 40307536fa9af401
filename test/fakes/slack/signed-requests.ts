import { createHmac } from 'node:crypto';

/**
 * Requests as Slack sends them to an app's Request URL: form-encoded slash commands and JSON
 * Events API callbacks, each signed with the v0 scheme (HMAC-SHA256 of `v0:<timestamp>:<body>`
 * with the signing secret).
 */
export interface SignOptions {
  /** Seconds since the epoch written in X-Slack-Request-Timestamp (default: now). */
  readonly timestamp?: number;
  /** Sign with this secret instead of the real one (a forged request). */
  readonly secret?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SlashCommandInput {
  readonly command: string;
  readonly text?: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly responseUrl: string;
}

export interface EventInput {
  readonly teamId: string;
  readonly eventId: string;
  readonly event: Readonly<Record<string, unknown>>;
  /** Delivery attempt; sets X-Slack-Retry-Num / -Reason when > 0. */
  readonly retryNum?: number;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackRequestSender {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  async slashCommand(input: SlashCommandInput, options: SignOptions = {}): Promise<Response> {
    const body = new URLSearchParams(slashCommandPayload(input)).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  async event(input: EventInput, options: SignOptions = {}): Promise<Response> {
    const body = JSON.stringify(eventPayload(input));
    const retry: Record<string, string> =
      input.retryNum && input.retryNum > 0
        ? { 'x-slack-retry-num': String(input.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {};
    return this.send(body, 'application/json', { ...options, headers: { ...retry, ...options.headers } });
  }

  private async send(body: string, contentType: string, options: SignOptions): Promise<Response> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(options.secret ?? this.signingSecret, timestamp, body),
        ...options.headers,
      },
      body,
    });
  }
}

/** The fields Slack posts for a slash command (also the Socket Mode payload). */
export function slashCommandPayload(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: input.teamId,
    team_domain: 'fake',
    channel_id: input.channelId,
    channel_name: 'stories',
    user_id: input.userId,
    user_name: input.userId.toLowerCase(),
    command: input.command,
    // Slack encodes &, < and > in the text it sends (should_escape only changes how mentions
    // of users and channels arrive).
    text: slackEncode(input.text ?? ''),
    api_app_id: 'AFAKEAPP',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: `trigger.${Date.now()}`,
  };
}

/** An Events API callback envelope (also the Socket Mode events_api payload). */
export function eventPayload(input: EventInput): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: input.teamId,
    api_app_id: 'AFAKEAPP',
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: input.teamId, user_id: 'UBOT0001', is_bot: true }],
    is_ext_shared_channel: false,
  };
}

function slackEncode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
