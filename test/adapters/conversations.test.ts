import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../adapters/server/rate-limit.js';
import { testServer } from '../helpers/server.js';

describe('Direct Line conversations', () => {
  it('refresh and resume give new tokens for the same conversation only', async () => {
    const server = await testServer();
    const base = `${server.url}/v3/directline`;
    const { token, conversationId } = (await (await fetch(`${base}/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const refreshed = (await (await fetch(`${base}/tokens/refresh`, { method: 'POST', headers: auth(token) })).json()) as { token: string; conversationId: string };
    expect(refreshed.conversationId).toBe(conversationId);
    expect(refreshed.token).not.toBe(token);
    const created = await fetch(`${base}/conversations`, { method: 'POST', headers: auth(refreshed.token) });
    expect(created.status).toBe(201);
    const resumed = await fetch(`${base}/conversations/${conversationId}`, { headers: auth(refreshed.token) });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { conversationId: string }).conversationId).toBe(conversationId);
    await server.close();
  });

  it('rate-limit messages per conversation with 429 and Retry-After', async () => {
    const server = await testServer({ CABILDO_MESSAGES_PER_CONVERSATION_PER_MINUTE: '2' });
    const base = `${server.url}/v3/directline`;
    const { token, conversationId } = (await (await fetch(`${base}/tokens/generate`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/conversations/${conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: 'hola' }) });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 429]);
    await server.close();
  });

  it('a rate window resets after its minute', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 60_000, () => now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(60);
    now = 45_000;
    expect(limiter.take('a')).toBe(15);
    now = 60_000;
    expect(limiter.take('a')).toBe(0);
  });
});
