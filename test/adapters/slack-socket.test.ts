/**
 * Socket Mode, for municipalities with no public URL: the Bolt app opens a WebSocket that a
 * fake Slack on loopback provides (apps.connections.open, hello, an events_api envelope), and
 * answers through the same fake Web API.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { testServer, type TestServer } from '../helpers/server.js';

describe('Slack in Socket Mode', () => {
  const posted: Record<string, string>[] = [];
  const acks: string[] = [];
  let server: TestServer | undefined;
  const http = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '');
      res.setHeader('content-type', 'application/json');
      if (method === 'apps.connections.open') {
        res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/socket` }));
      } else if (method === 'auth.test') {
        res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
      } else {
        if (method === 'chat.postMessage') posted.push(Object.fromEntries(new URLSearchParams(raw)));
        res.end(JSON.stringify({ ok: true, ts: '1.1' }));
      }
    });
  });
  const sockets = new WebSocketServer({ server: http, path: '/socket' });
  let socket: WebSocket | undefined;
  sockets.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => acks.push((JSON.parse(data.toString()) as { envelope_id: string }).envelope_id));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }));
  });

  afterAll(async () => {
    await server?.close();
    sockets.close();
    http.close();
  });

  it('receives an event over the socket, acknowledges it, and answers in its thread', { timeout: 30_000 }, async () => {
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/`;
    server = await testServer({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: apiUrl, CABILDO_STAFF: 'SSTAFF' });
    const deadline = Date.now() + 10_000;
    while (!socket) {
      if (Date.now() > deadline) throw new Error('no socket connection');
      await new Promise((r) => setTimeout(r, 20));
    }
    socket.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: {
          type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'EvSocket1', event_time: 1,
          event: { type: 'message', channel: 'D9', channel_type: 'im', user: 'UCITIZEN', text: '¿qué es el gobierno abierto?', ts: '1700000000.000900' },
        },
      }),
    );
    while (!posted.length) {
      if (Date.now() > deadline) throw new Error('no reply posted');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(acks).toContain('env-1');
    expect(posted[0]).toMatchObject({ channel: 'D9', thread_ts: '1700000000.000900' });
    expect(posted[0]!.text).toMatch(/gobierno abierto/i);
  });
});
