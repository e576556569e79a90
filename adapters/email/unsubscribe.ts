/**
 * The unsubscribe link every email carries: `/correo/baja/<token>`, where the token is the
 * address's keyed hash and a MAC over it (both HMAC-SHA256 with the store's key, so nobody can
 * make a token for an address without the key, and the address is never in the link). `GET`
 * only shows a page with a button, because mail scanners open links; `POST` unsubscribes, which
 * is also what mail clients send for one-click unsubscribe (RFC 8058, `List-Unsubscribe-Post`).
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Response } from 'express';
import escapeHtml from 'escape-html';
import { z } from 'zod';
import type { Logger, Store } from '../../src/index.js';
import type { UserKeyer } from '../../src/store/user-key.js';

export const UNSUBSCRIBE_PATH = '/correo/baja';

const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{32}$/);

const mac = (keyer: UserKeyer, addressKey: string) => keyer('email-unsubscribe', addressKey);

/** The token for the address whose keyed hash is `addressKey`. */
export function unsubscribeToken(keyer: UserKeyer, addressKey: string): string {
  return `${addressKey}.${mac(keyer, addressKey)}`;
}

/** The address key a genuine token stands for; undefined for anything else. */
export function readUnsubscribeToken(keyer: UserKeyer, token: unknown): string | undefined {
  const parsed = tokenSchema.safeParse(token);
  if (!parsed.success) return undefined;
  const [addressKey, given] = parsed.data.split('.') as [string, string];
  const expected = Buffer.from(mac(keyer, addressKey));
  // Constant time: a MAC compared byte by byte leaks how much of a guess was right.
  return timingSafeEqual(expected, Buffer.from(given)) ? addressKey : undefined;
}

export function unsubscribeUrl(publicUrl: string, keyer: UserKeyer, addressKey: string): string {
  return `${publicUrl}${UNSUBSCRIBE_PATH}/${unsubscribeToken(keyer, addressKey)}`;
}

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .set('Referrer-Policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Cabildo</title></head>` +
        `<body style="font-family:sans-serif;line-height:1.5;max-width:40em;margin:2em auto;padding:0 1em"><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

export function createUnsubscribeRouter(store: Store, logger: Logger, clock: () => Date = () => new Date()): Router {
  const router = Router();
  const invalid = (res: Response) =>
    page(res, 404, 'Enlace no válido', '<p>Este enlace para dejar de recibir correos no es válido. Usa el enlace completo que viene al final de un correo de Cabildo.</p>');

  router.get(`${UNSUBSCRIBE_PATH}/:token`, (req, res) => {
    if (!readUnsubscribeToken(store.userKey, req.params.token)) return invalid(res);
    page(
      res,
      200,
      'Dejar de recibir correos',
      '<p>¿Quieres dejar de recibir correos de Cabildo? Seguirás viendo las novedades de tus propuestas en el chat.</p>' +
        '<form method="post"><button type="submit">Sí, no quiero recibir más correos</button></form>',
    );
  });

  router.post(`${UNSUBSCRIBE_PATH}/:token`, async (req, res, next) => {
    const addressKey = readUnsubscribeToken(store.userKey, req.params.token);
    if (!addressKey) return invalid(res);
    try {
      await store.emailOutbox().unsubscribe(addressKey, clock());
    } catch (error) {
      next(error);
      return;
    }
    logger.info({ outcome: 'unsubscribed' }, 'email');
    page(res, 200, 'Listo', '<p>No te enviaremos más correos. Seguirás viendo las novedades de tus propuestas en el chat.</p>');
  });
  return router;
}
