/**
 * The web chat's stable user id is a credential: whoever presents it sees that person's
 * proposals and contact details through "mis datos". So the id is issued by this server and
 * signed, never chosen by the page: `w1.<random>.<expiry>.<mac>`. The MAC covers the random
 * part, the expiry and the origin of the page that asked for it, so a guessed id, an edited
 * one, an expired one or one copied into a page of another origin is refused. The person
 * behind the id is the random part alone: each visit re-signs it with a later expiry, so the id
 * expires after a period without visits, not after a fixed time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface WebIdentity {
  /** What the page keeps and sends back. */
  signed: string;
  /** Who the person is for the engine (stable across re-signing). */
  userId: string;
}

/** A keyed MAC; the server passes one built on its store's secret. */
export type Mac = (message: string) => string;

const FORMAT = /^w1\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16,64})$/;

export class WebIdentities {
  constructor(
    private readonly mac: Mac,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new identity for a page of `origin` (empty for same-origin requests without an Origin header). */
  issue(origin: string): WebIdentity {
    return this.sign(randomBytes(16).toString('base64url'), origin);
  }

  /** The identity a presented id stands for, re-signed with a fresh expiry; undefined when it is not ours, altered, expired or from another origin. */
  verify(presented: string, origin: string): WebIdentity | undefined {
    const m = FORMAT.exec(presented);
    if (!m) return undefined;
    const [, random, expiry, mac] = m as unknown as [string, string, string, string];
    const expected = Buffer.from(this.mac(payload(random, expiry, origin)));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (parseInt(expiry, 36) * 1000 < this.now()) return undefined;
    return this.sign(random, origin);
  }

  private sign(random: string, origin: string): WebIdentity {
    const expiry = Math.ceil((this.now() + this.lifetimeMs) / 1000).toString(36);
    return { signed: `w1.${random}.${expiry}.${this.mac(payload(random, expiry, origin))}`, userId: `w_${random}` };
  }
}

const payload = (random: string, expiry: string, origin: string) => `${random}.${expiry}.${origin}`;
