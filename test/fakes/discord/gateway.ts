import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeDiscord } from './fake-discord.js';
import { nextSnowflake } from './snowflake.js';

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Hello: 10, HeartbeatAck: 11 } as const;
/** What Discord sends in HELLO. */
export const DISCORD_HEARTBEAT_INTERVAL_MS = 41_250;

interface Session {
  readonly socket: WebSocket;
  sequence: number;
  identified: boolean;
}

/**
 * The Gateway side of the fake: HELLO on connect, READY and GUILD_CREATE after IDENTIFY,
 * heartbeats acknowledged, and dispatches pushed to every identified session.
 */
export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Every op code the clients sent, for tests that check the handshake. */
  readonly receivedOps: number[] = [];
  /** The intents each IDENTIFY asked for. */
  readonly identifyIntents: number[] = [];

  constructor(
    private readonly fake: FakeDiscord,
    private readonly heartbeatIntervalMs: number,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!(req.url ?? '').startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  dispatch(event: string, data: unknown): void {
    for (const session of this.sessions) {
      if (session.identified) this.send(session, { op: Op.Dispatch, t: event, d: data });
    }
  }

  close(): void {
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    this.wss.close();
  }

  private onConnection(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) => this.onMessage(session, raw.toString()));
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
  }

  private onMessage(session: Session, raw: string): void {
    const payload = JSON.parse(raw) as { op: number; d: unknown };
    this.receivedOps.push(payload.op);
    switch (payload.op) {
      case Op.Heartbeat:
        session.socket.send(JSON.stringify({ op: Op.HeartbeatAck, d: null, s: null, t: null }));
        break;
      case Op.Identify: {
        const d = payload.d as { token?: string; intents?: number };
        if (d.token !== this.fake.token) {
          session.socket.close(4004, 'Authentication failed.');
          return;
        }
        this.identifyIntents.push(d.intents ?? 0);
        session.identified = true;
        this.send(session, {
          op: Op.Dispatch,
          t: 'READY',
          d: {
            v: 10,
            user: this.fake.botUser(),
            guilds: [{ id: this.fake.guildId, unavailable: true }],
            session_id: nextSnowflake(),
            resume_gateway_url: this.fake.gatewayUrl,
            shard: [0, 1],
            application: { id: this.fake.applicationId, flags: 0 },
            private_channels: [],
            user_settings: {},
            relationships: [],
          },
        });
        this.send(session, { op: Op.Dispatch, t: 'GUILD_CREATE', d: this.fake.guildJson() });
        break;
      }
      case Op.Resume:
        // The fake keeps no sessions across connections: ask the client to identify afresh.
        session.socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
        break;
      default:
        break;
    }
  }

  private send(session: Session, payload: { op: number; t: string; d: unknown }): void {
    session.sequence += 1;
    session.socket.send(JSON.stringify({ ...payload, s: session.sequence }));
  }
}
