/**
 * Checks in front of `POST /api/messages`, before botbuilder sees a request: a malformed
 * activity is the caller's mistake (400, never 5xx), and in Emulator mode (no authentication)
 * only this machine may call, and only have replies sent back to this machine.
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../src/index.js';

const account = z.object({ id: z.string().min(1).max(256) }).loose();

const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.url(),
    from: account,
    recipient: account,
    conversation: account,
    text: z.string().max(MAX_MESSAGE_LENGTH).optional(),
    membersAdded: z.array(account).max(50).optional(),
  })
  .loose();

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Emulator mode: callers on this machine only. A forwarded request came through a proxy, so from elsewhere. */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (!LOOPBACK_ADDRESS.test(req.socket.remoteAddress ?? '') || req.headers['x-forwarded-for'] !== undefined) {
    res.status(404).json({ error: { code: 'NotFound', message: 'No such endpoint.' } });
    return;
  }
  next();
}

/** A well-formed activity; with `loopbackReplies`, one whose replies go to this machine only. */
export function acceptActivity(loopbackReplies: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      res.status(400).json({ error: { code: 'BadArgument', message: `Not a Bot Framework activity: ${issue.path.join('.') || 'body'}: ${issue.message}` } });
      return;
    }
    if (loopbackReplies && !LOOPBACK_HOST.has(new URL(parsed.data.serviceUrl).hostname.toLowerCase())) {
      res.status(400).json({ error: { code: 'BadArgument', message: 'In Emulator mode replies go to this machine only (serviceUrl on localhost).' } });
      return;
    }
    next();
  };
}
