/**
 * `POST /api/messages` through botbuilder's CloudAdapter, as the Emulator calls it: no app id,
 * `BOT_EMULATOR=1` (authentication off, this machine only). Replies go to the activity's
 * serviceUrl: here a fake Bot Connector on loopback that records them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/server.js';

describe('Bot Framework endpoint', () => {
  let server: TestServer;
  let connector: Server;
  let connectorUrl: string;
  const posted: { path: string; body: { text?: string; suggestedActions?: { actions: { value: string }[] } } }[] = [];

  beforeAll(async () => {
    server = await testServer({ BOT_EMULATOR: '1' });
    connector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push({ path: req.url ?? '', body: JSON.parse(body || '{}') });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `reply-${posted.length}` }));
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
    connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    connector.close();
    await server.close();
  });

  it('answers a message activity through the connector, with options as suggested actions', async () => {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: 'act-1', text: '¿qué es la OGP?', channelId: 'emulator', serviceUrl: connectorUrl,
        from: { id: 'user-1', name: 'Ana' }, recipient: { id: 'bot', name: 'Cabildo' }, conversation: { id: 'conv-1' },
      }),
    });
    expect(res.status).toBe(200);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.path).toBe('/v3/conversations/conv-1/activities/act-1');
    expect(posted[0]!.body.text).toMatch(/2011/);
    expect(posted[0]!.body.suggestedActions!.actions.map((a) => a.value)).toContain('OGP Local');
  });

  it('rejects a request with a bad body without reaching the bot', async () => {
    const before = posted.length;
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(res.status).toBe(400);
    expect(posted.length).toBe(before);
  });
});
