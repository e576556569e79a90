/**
 * Direct Line 3.0's WebSocket stream: the `streamUrl` a client gets when it starts or resumes a
 * conversation, and the socket behind it, which pushes activity sets `{activities, watermark}`
 * as they are appended (by this instance or, with PostgreSQL, any other), so a reply reaches the
 * page without waiting for a poll.
 *
 * The URL carries a short-lived stream token (`t=`), a MAC over the conversation id and an
 * expiry, issued only to a holder of the conversation's live token: a socket reaches its own
 * conversation only, and the long-lived token never travels in a URL. Sockets are bounded per
 * conversation and in total, answer pings or are dropped, and get an empty message as
 * keep-alive (the client ignores empty messages and sends its own every 20 s). A closed socket
 * is resumed by the client with `GET /conversations/{id}?watermark=N`, whose fresh `streamUrl`
 * carries that watermark: the new socket starts after it, so nothing is lost or repeated.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { WebSocket, WebSocketServer } from 'ws';
import type { ChatConversations, Logger } from '../../src/index.js';

export interface StreamOptions {
  conversations: ChatConversations;
  /** A keyed MAC (the store's secret), so any instance verifies a URL another one issued. */
  mac: (message: string) => string;
  logger: Logger;
  /** Sockets open at once on this instance; past it new ones get 503. */
  maxSockets: number;
  /** Sockets per conversation (a reconnect may overlap a socket not yet known dead); past it 429. */
  maxPerConversation?: number;
  /** How often sockets are pinged, sent a keep-alive and checked; a socket silent for two rounds is dropped. */
  heartbeatMs?: number;
  /**
   * Where people reach the server (`CABILDO_PUBLIC_URL`'s origin). Stream URLs point there, since
   * behind a proxy the request's Host may be the proxy's upstream; without it they follow the
   * request (Host, or X-Forwarded-Host and -Proto from a trusted proxy).
   */
  publicOrigin?: string;
  now?: () => number;
}

/** The prefix the Direct Line router is mounted at. */
export const DIRECT_LINE_PREFIX = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;
const TOKEN = /^s1\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16,64})$/;
/** How long a stream URL may be used to open a socket (Direct Line's are good for 60 s too). */
const STREAM_TOKEN_MS = 60_000;
/** The only thing a client sends is an empty keep-alive. */
const MAX_INCOMING_BYTES = 1024;
/** A client that does not read its socket is dropped before it fills this process's memory. */
const MAX_BUFFERED_BYTES = 1 << 20;
const ROUTE = `${DIRECT_LINE_PREFIX}/conversations/:id/stream`;

interface Client {
  socket: WebSocket;
  conversationId: string;
  watermark: number;
  alive: boolean;
  busy: boolean;
  again: boolean;
  stopWatching: () => void;
}

export class DirectLineStreams {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_BYTES, perMessageDeflate: false });
  private readonly byConversation = new Map<string, Set<Client>>();
  /** Open sockets plus upgrades being checked, so a burst cannot overshoot the bound. */
  private held = 0;
  /** Upgrades being checked, per conversation. */
  private readonly opening = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: StreamOptions) {
    this.now = options.now ?? Date.now;
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** The `streamUrl` for a start or reconnect response, at the address the client reached us by. */
  streamUrl(req: Request, conversationId: string, watermark?: number): string {
    const expiry = Math.ceil((this.now() + STREAM_TOKEN_MS) / 1000).toString(36);
    const token = `s1.${expiry}.${this.options.mac(`${conversationId}.${expiry}`)}`;
    const query = new URLSearchParams({ t: token, ...(watermark !== undefined ? { watermark: String(watermark) } : {}) });
    return `${this.origin(req)}${DIRECT_LINE_PREFIX}/conversations/${encodeURIComponent(conversationId)}/stream?${query}`;
  }

  private origin(req: Request): string {
    if (this.options.publicOrigin) return this.options.publicOrigin.replace(/^http/, 'ws');
    const host = req.host && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(req.host) ? req.host : 'localhost';
    return `${req.protocol === 'https' ? 'wss' : 'ws'}://${host}`;
  }

  /** Open sockets on this instance. */
  get size(): number {
    let n = 0;
    for (const set of this.byConversation.values()) n += set.size;
    return n;
  }

  /** The HTTP server's `upgrade` handler: true when the request was ours (answered either way). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      // Node's parser lets through targets URL refuses (`http://[`): not ours, answered 404 by the caller.
      return false;
    }
    if (!url.pathname.startsWith(`${DIRECT_LINE_PREFIX}/`)) return false;
    socket.on('error', () => socket.destroy());
    void this.accept(req, socket, head, url).catch((error: unknown) => {
      this.options.logger.error({ channel: 'webchat', err: String(error) }, 'stream upgrade failed');
      refuse(socket, 500);
    });
    return true;
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    const log = (status: number) => this.options.logger.info({ method: 'GET', route: ROUTE, status }, 'stream');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match || req.method !== 'GET') return log(404), refuse(socket, 404);
    const conversationId = match[1]!;
    if (!this.verify(conversationId, url.searchParams.get('t') ?? '')) return log(403), refuse(socket, 403);
    if (this.closed || this.held >= this.options.maxSockets) return log(503), refuse(socket, 503);
    const perConversation = this.options.maxPerConversation ?? 3;
    const opening = this.opening.get(conversationId) ?? 0;
    if ((this.byConversation.get(conversationId)?.size ?? 0) + opening >= perConversation) return log(429), refuse(socket, 429);
    // Both bounds are reserved before the first await, so concurrent upgrades cannot overshoot them.
    this.held++;
    this.opening.set(conversationId, opening + 1);
    let attached = false;
    let settled = false;
    try {
      // A stream URL outlives nothing: the conversation may have been forgotten since it was issued.
      if (!(await this.options.conversations.has(conversationId))) return log(404), refuse(socket, 404);
      if (this.closed) return log(503), refuse(socket, 503);
      const watermark = parseWatermark(url.searchParams.get('watermark'));
      this.server.handleUpgrade(req, socket, head, (ws) => {
        // ws calls back at once today; should it ever call later, the slot is taken again.
        if (settled) this.held++;
        attached = true;
        log(101);
        this.attach(ws, conversationId, watermark);
      });
    } finally {
      settled = true;
      if (!attached) this.held--;
      const left = (this.opening.get(conversationId) ?? 1) - 1;
      if (left > 0) this.opening.set(conversationId, left);
      else this.opening.delete(conversationId);
    }
  }

  private verify(conversationId: string, token: string): boolean {
    const m = TOKEN.exec(token);
    if (!m) return false;
    const [, expiry, mac] = m as unknown as [string, string, string];
    const expected = Buffer.from(this.options.mac(`${conversationId}.${expiry}`));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) && parseInt(expiry, 36) * 1000 >= this.now();
  }

  private attach(socket: WebSocket, conversationId: string, watermark: number): void {
    const client: Client = { socket, conversationId, watermark, alive: true, busy: false, again: false, stopWatching: () => {} };
    const set = this.byConversation.get(conversationId) ?? new Set();
    set.add(client);
    this.byConversation.set(conversationId, set);
    socket.on('pong', () => (client.alive = true));
    // Whatever the client sends (Direct Line's client sends "" every 20 s) only says it is there.
    socket.on('message', () => (client.alive = true));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      client.stopWatching();
      set.delete(client);
      if (!set.size && this.byConversation.get(conversationId) === set) this.byConversation.delete(conversationId);
      this.held--;
    });
    // Watch first, then read: an append between the two is read by one or the other, never missed.
    client.stopWatching = this.options.conversations.watch(conversationId, () => this.pump(client));
    this.pump(client);
  }

  /** Sends what the conversation gained since the client's watermark; one read at a time per socket, in order. */
  private pump(client: Client): void {
    if (client.busy) {
      client.again = true;
      return;
    }
    client.busy = true;
    void (async () => {
      try {
        do {
          client.again = false;
          if (client.socket.readyState !== WebSocket.OPEN) return;
          const set = await this.options.conversations.since(client.conversationId, client.watermark);
          if (client.socket.readyState !== WebSocket.OPEN) return;
          if (set.activities.length) {
            if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) return client.socket.terminate();
            client.socket.send(JSON.stringify(set));
          }
          client.watermark = Number(set.watermark);
        } while (client.again);
      } catch {
        // The conversation is gone (forgotten while the socket was open): the client's reconnect learns it.
        client.socket.close(1000, 'conversation ended');
      } finally {
        client.busy = false;
      }
    })();
  }

  private beat(): void {
    for (const set of this.byConversation.values()) {
      for (const client of set) {
        if (!client.alive) {
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
        // An empty message, as Direct Line sends: keeps proxies that only count data frames from closing the socket.
        client.socket.send('');
        // A safety net under the store's notifications: read again once per beat.
        this.pump(client);
      }
    }
    void this.closeForgotten();
  }

  private async closeForgotten(): Promise<void> {
    for (const [conversationId, set] of [...this.byConversation]) {
      const held = await this.options.conversations.has(conversationId).catch(() => true);
      if (!held) for (const client of set) client.socket.close(1000, 'conversation ended');
    }
  }

  /** Closes every socket ("going away": clients reconnect, to another instance if there is one). */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const set of this.byConversation.values()) for (const client of set) client.socket.close(1001, 'server restarting');
    this.server.close();
  }
}

function parseWatermark(value: string | null): number {
  return value && /^\d{1,10}$/.test(value) ? Number(value) : 0;
}

function refuse(socket: Duplex, status: number): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}
