import { commandListError } from './command-rules.js';
import type { FakeDiscord } from './fake-discord.js';
import { pingsFor, type AllowedMentionsBody } from './mentions.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeInteraction, FakeMessage } from './types.js';

/** The part of an HTTP request the REST handlers look at. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface RestResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Handler = (fake: FakeDiscord, req: RestRequest, params: string[]) => RestResponse;

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const MAX_CONTENT = 2000;
/** An interaction not acknowledged within this is gone, as on Discord. */
const ACK_DEADLINE_MS = 3000;

const json = (status: number, body?: unknown): RestResponse => ({ status, body });
const error = (status: number, code: number, message: string): RestResponse => json(status, { code, message });
const unknownMessage = (): RestResponse => error(404, 10008, 'Unknown Message');
const invalidWebhookToken = (): RestResponse => error(401, 50027, 'Invalid Webhook Token');

/** Routes of Discord's REST API v10 that the bot uses, matched in order. */
const routes: [string, RegExp, boolean, Handler][] = [
  // [method, path, needs the bot token, handler]
  ['GET', /^\/gateway\/bot$/, true, (fake) => json(200, fake.gatewayBot())],
  ['GET', /^\/users\/@me$/, true, (fake) => json(200, fake.botUser())],
  ['GET', /^\/applications\/@me$/, true, (fake) => json(200, { id: fake.applicationId, name: 'scifi', flags: 0, bot_public: true })],
  ['PUT', /^\/applications\/(\d+)\/commands$/, true, (fake, req, [app]) => putCommands(fake, req, app, 'global')],
  ['PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, true, (fake, req, [app, guild]) =>
    putCommands(fake, req, app, `guild:${guild}`)],
  ['GET', /^\/channels\/(\d+)$/, true, (fake, _req, [channel]) =>
    channel === fake.channelId ? json(200, fake.channelJson()) : error(404, 10003, 'Unknown Channel')],
  ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, false, interactionCallback],
  ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, false, (fake, _req, [, token, id]) =>
    withWebhookMessage(fake, token, id, (m) => json(200, fake.messageJson(m)))],
  ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, false, (fake, req, [, token, id]) =>
    withWebhookMessage(fake, token, id, (m, i) => editMessage(fake, m, req.body, i))],
  ['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, false, (fake, _req, [, token, id]) =>
    withWebhookMessage(fake, token, id, (m) => {
      m.deleted = true;
      return json(204);
    })],
  ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, false, followUp],
  ['POST', /^\/channels\/(\d+)\/messages$/, true, createChannelMessage],
  ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, true, (fake, _req, [channel, id]) => {
    const m = fake.visibleMessage(channel, id);
    return m ? json(200, fake.messageJson(m)) : unknownMessage();
  }],
  ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, true, (fake, req, [channel, id]) => {
    if (fake.botWriteRefusal) return error(403, fake.botWriteRefusal.code, fake.botWriteRefusal.message);
    const m = fake.visibleMessage(channel, id);
    if (!m) return unknownMessage();
    if (m.authorId !== fake.botUserId) return error(403, 50005, 'Cannot edit a message authored by another user');
    return editMessage(fake, m, req.body, undefined);
  }],
  ['PUT', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, true, (fake, _req, [channel, id]) =>
    fake.visibleMessage(channel, id) ? json(204) : unknownMessage()],
  ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/(@me|\d+)$/, true, (fake, _req, [channel, id]) =>
    fake.visibleMessage(channel, id) ? json(204) : unknownMessage()],
];

export function handleRest(fake: FakeDiscord, req: RestRequest): RestResponse {
  for (const [method, pattern, needsBotToken, handler] of routes) {
    if (method !== req.method) continue;
    const match = pattern.exec(req.path);
    if (!match) continue;
    if (needsBotToken && req.authorization !== `Bot ${fake.token}`) return error(401, 0, '401: Unauthorized');
    return handler(fake, req, match.slice(1));
  }
  return error(404, 0, `404: Not Found (the fake has no route ${req.method} ${req.path})`);
}

function putCommands(fake: FakeDiscord, req: RestRequest, app: string | undefined, scope: string): RestResponse {
  if (app !== fake.applicationId) return error(403, 50001, 'Missing Access');
  const invalid = commandListError(req.body);
  if (invalid !== undefined) return json(400, { code: 50035, message: `Invalid Form Body (${invalid})`, errors: {} });
  const commands = (req.body as Record<string, unknown>[]).map((c) => ({
    ...c,
    id: nextSnowflake(),
    application_id: fake.applicationId,
    version: nextSnowflake(),
  }));
  fake.registeredCommands.push({ scope, commands });
  return json(200, commands);
}

interface MessageBody {
  readonly content?: unknown;
  readonly flags?: unknown;
  readonly allowed_mentions?: AllowedMentionsBody;
  readonly message_reference?: { readonly message_id?: string };
}

function contentError(body: MessageBody): RestResponse | undefined {
  if (typeof body.content === 'string' && [...body.content].length > MAX_CONTENT) {
    return json(400, {
      code: 50035,
      message: 'Invalid Form Body',
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
    });
  }
  if (body.content === '') return error(400, 50006, 'Cannot send an empty message');
  return undefined;
}

function interactionCallback(fake: FakeDiscord, req: RestRequest, [id, token]: string[]): RestResponse {
  const interaction = fake.interactions.get(token ?? '');
  if (!interaction || interaction.id !== id) return error(404, 10062, 'Unknown interaction');
  if (interaction.expired || Date.now() - interaction.createdAt > ACK_DEADLINE_MS) {
    return error(404, 10062, 'Unknown interaction');
  }
  if (interaction.state !== 'pending') return error(400, 40060, 'Interaction has already been acknowledged.');
  const { type, data } = (req.body ?? {}) as { type?: number; data?: MessageBody };
  const flags = typeof data?.flags === 'number' ? data.flags : 0;
  interaction.ephemeral = (flags & EPHEMERAL) !== 0;
  if (type === 5) {
    interaction.state = 'deferred';
    interaction.loading = true;
    const m = fake.storeMessage({ channelId: interaction.channelId, content: '', flags: flags | LOADING, interactionToken: token ?? '' });
    interaction.originalMessageId = m.id;
  } else if (type === 4) {
    const invalid = contentError(data ?? {});
    if (invalid) return invalid;
    interaction.state = 'replied';
    interaction.loading = false;
    const m = fake.storeMessage({ channelId: interaction.channelId, content: String(data?.content ?? ''), flags, interactionToken: token ?? '', allowedMentions: data?.allowed_mentions });
    interaction.originalMessageId = m.id;
  } else {
    return error(400, 50035, `Invalid Form Body (the fake supports response types 4 and 5, got ${String(type)})`);
  }
  if (req.query.with_response === 'true') {
    const original = fake.messages.get(interaction.originalMessageId ?? '');
    return json(200, {
      interaction: { id: interaction.id, type: 2, activity_instance_id: null, response_message_id: original?.id, response_message_loading: interaction.loading, response_message_ephemeral: interaction.ephemeral },
      resource: { type, message: original ? fake.messageJson(original) : undefined },
    });
  }
  return json(204);
}

function withWebhookMessage(
  fake: FakeDiscord,
  token: string | undefined,
  id: string | undefined,
  then: (m: FakeMessage, interaction: FakeInteraction) => RestResponse,
): RestResponse {
  const interaction = fake.interactions.get(token ?? '');
  if (!interaction || interaction.expired) return invalidWebhookToken();
  const messageId = id === '@original' ? interaction.originalMessageId : id;
  const m = messageId === undefined ? undefined : fake.messages.get(messageId);
  if (!m || m.deleted || m.interactionToken !== token) return unknownMessage();
  return then(m, interaction);
}

function editMessage(fake: FakeDiscord, m: FakeMessage, rawBody: unknown, interaction: FakeInteraction | undefined): RestResponse {
  const body = (rawBody ?? {}) as MessageBody;
  const invalid = contentError(body);
  if (invalid) return invalid;
  if (typeof body.content === 'string') m.content = body.content;
  m.contents.push(m.content);
  m.allowedMentions.push(body.allowed_mentions);
  m.pings.push(...pingsFor(m.content, body.allowed_mentions));
  m.flags &= ~LOADING;
  if (interaction && m.id === interaction.originalMessageId) interaction.loading = false;
  return json(200, fake.messageJson(m));
}

function followUp(fake: FakeDiscord, req: RestRequest, [app, token]: string[]): RestResponse {
  if (app !== fake.applicationId) return error(404, 10015, 'Unknown Webhook');
  const interaction = fake.interactions.get(token ?? '');
  if (!interaction || interaction.expired) return invalidWebhookToken();
  if (interaction.state === 'pending') return error(404, 10015, 'Unknown Webhook');
  const body = (req.body ?? {}) as MessageBody;
  const invalid = contentError(body);
  if (invalid) return invalid;
  const original = fake.messages.get(interaction.originalMessageId ?? '');
  // As on Discord: the first follow-up after a deferral replaces the "thinking…" message and
  // keeps the deferral's visibility, whatever flags it asks for.
  if (original && !original.deleted && interaction.loading) {
    return editMessage(fake, original, body, interaction);
  }
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const m = fake.storeMessage({
    channelId: interaction.channelId,
    content: String(body.content ?? ''),
    flags,
    interactionToken: token ?? '',
    allowedMentions: body.allowed_mentions,
  });
  return json(200, fake.messageJson(m));
}

function createChannelMessage(fake: FakeDiscord, req: RestRequest, [channel]: string[]): RestResponse {
  if (channel !== fake.channelId) return error(404, 10003, 'Unknown Channel');
  if (fake.botWriteRefusal) return error(403, fake.botWriteRefusal.code, fake.botWriteRefusal.message);
  const body = (req.body ?? {}) as MessageBody;
  const invalid = contentError(body);
  if (invalid) return invalid;
  const replyTo = body.message_reference?.message_id;
  const m = fake.storeMessage({
    channelId: channel,
    content: String(body.content ?? ''),
    flags: 0,
    allowedMentions: body.allowed_mentions,
    ...(replyTo ? { replyTo } : {}),
  });
  return json(200, fake.messageJson(m));
}
