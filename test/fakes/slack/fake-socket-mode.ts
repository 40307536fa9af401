import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

/**
 * Slack's Socket Mode end on 127.0.0.1: apps.connections.open hands out its URL; on connection
 * it says `hello`; envelopes (`slash_commands`, `events_api`) go out and the client must answer
 * each with `{ envelope_id }` — the ack that Slack otherwise reads from the HTTP response.
 */
export class FakeSocketModeServer {
  private readonly wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private readonly pendingAcks = new Map<string, (ack: SocketAck) => void>();
  private connectedWaiters: Array<() => void> = [];
  readonly acks: SocketAck[] = [];

  constructor() {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data) => this.onMessage(String(data)));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-socket-mode', approximate_connection_time: 3600 },
          connection_info: { app_id: 'AFAKEAPP' },
        }),
      );
      for (const resolve of this.connectedWaiters) resolve();
      this.connectedWaiters = [];
    });
  }

  async listening(): Promise<void> {
    if (this.wss.address()) return;
    await new Promise<void>((resolve) => this.wss.once('listening', () => resolve()));
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  get connected(): boolean {
    return this.socket !== undefined && this.socket.readyState === this.socket.OPEN;
  }

  waitForConnection(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Sends one envelope; resolves with the client's ack. */
  send(type: 'slash_commands' | 'events_api', payload: unknown, retryAttempt = 0): Promise<SocketAck> {
    const socket = this.socket;
    if (!socket) throw new Error('no Socket Mode client connected');
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type === 'slash_commands',
        ...(type === 'events_api' ? { retry_attempt: retryAttempt, retry_reason: retryAttempt > 0 ? 'timeout' : '' } : {}),
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(text: string): void {
    const ack = JSON.parse(text) as SocketAck;
    this.acks.push(ack);
    this.pendingAcks.get(ack.envelope_id)?.(ack);
    this.pendingAcks.delete(ack.envelope_id);
  }
}
