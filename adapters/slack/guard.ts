/**
 * Runs before Bolt on the Events API route. Bolt checks the signature and refuses old
 * timestamps, but a captured request can be replayed for five minutes and one stamped in the
 * future is accepted; and a body it cannot route (`"event": null`) ends in a 500. Here:
 * signature (and a timestamp within five minutes either way) → 401; body Bolt could not
 * route → 400; a (signature, timestamp) pair already seen → 200 and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { Dedupe } from '../../src/dedupe.js';

const MAX_SKEW_S = 5 * 60;
/** Longer than the skew window, so a pair cannot be forgotten while its timestamp still passes. */
const REPLAY_WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 50_000;
/** Bolt's own limit. */
const BODY_LIMIT = 4 * 1024 * 1024;

const eventCallback = z.looseObject({ type: z.literal('event_callback'), event: z.looseObject({ type: z.string().min(1) }) });
/** What Bolt needs to route a body: an object with a type; an event callback with an event. */
const routable = z.union([eventCallback, z.looseObject({ type: z.string().refine((t) => t !== 'event_callback') })]);

/** Bolt's rule: exactly this content type is a form (commands, interactions); anything else JSON. */
function parse(raw: string, contentType: string | undefined): unknown {
  if (contentType !== 'application/x-www-form-urlencoded') return JSON.parse(raw);
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  // A slash command is a flat form; Bolt routes it by `command`, so give the check a type.
  return payload !== null ? JSON.parse(payload) : { type: form.has('command') ? 'slash_command' : 'form', ...Object.fromEntries(form) };
}

export function slackGuard(signingSecret: string, now: () => number = Date.now): RequestHandler {
  const seen = new Dedupe(REPLAY_WINDOW_MS, MAX_REMEMBERED, now);
  // Reads the bytes once; Bolt takes them from `req.rawBody` instead of the spent stream.
  const readRaw = express.raw({ type: () => true, limit: BODY_LIMIT, inflate: false });

  const signed = (raw: Buffer, ts: string | undefined, signature: string | undefined): boolean => {
    if (!ts || !signature || !/^\d{1,12}$/.test(ts)) return false;
    if (Math.abs(now() / 1000 - Number(ts)) > MAX_SKEW_S) return false;
    const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:`).update(raw).digest('hex')}`);
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return (req, res, next) => {
    readRaw(req, res, (error?: unknown) => {
      if (error) return void res.status((error as { status?: number }).status === 413 ? 413 : 400).send();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ts = req.get('x-slack-request-timestamp');
      const signature = req.get('x-slack-signature');
      // Verified first, so only Slack (or a replay of Slack) reaches the parser and the map.
      if (!signed(raw, ts, signature)) return void res.status(401).send();
      let body: unknown;
      try {
        body = parse(raw.toString('utf8'), req.get('content-type'));
      } catch {
        return void res.status(400).send();
      }
      if (!routable.safeParse(body).success) return void res.status(400).send();
      // An empty 200 is the ack Slack expects for events, commands and interactions alike.
      if (!seen.first(`${signature}:${ts}`)) return void res.status(200).send();
      (req as { rawBody?: Buffer }).rawBody = raw;
      next();
    });
  };
}
