/**
 * One person, whatever WhatsApp names them by: a phone number, a business-scoped user id
 * (BSUID), or both. The store keeps only keyed hashes of each and a link from each to the key
 * the person's records are under; where to write back is kept sealed (see Store.setReach).
 */
import type { Store } from '../../../src/index.js';
import { WHATSAPP_CHANNEL } from '../format.js';
import type { Sender } from './payload.js';

/**
 * The key the person's records are under, linking any identifier not seen before to it. An
 * identifier already linked decides; otherwise one that already has records (a phone number
 * from before BSUIDs existed) keeps them; otherwise the first (the BSUID, when there is one).
 * Two identifiers already linked to two different people stay apart (their records are not
 * merged): the first one's person wins for this message.
 */
export async function identify(store: Store, ids: string[]): Promise<string> {
  const keys = [...new Set(ids.map((id) => store.userKey(WHATSAPP_CHANNEL, id)))];
  const linked = await Promise.all(keys.map((k) => store.personOf(k)));
  if (linked.every((p) => p !== undefined)) return linked[0]!;
  let person = linked.find((p) => p !== undefined);
  for (const k of keys) {
    if (person) break;
    if (await hasRecords(store, k)) person = k;
  }
  // Keeps whatever another instance linked first.
  return store.linkPerson(keys, person ?? keys[0]!);
}

async function hasRecords(store: Store, key: string): Promise<boolean> {
  const d = await store.userData(key);
  return d.proposals.length > 0 || d.session !== undefined || d.notices.length > 0 || d.opinions.length > 0 || d.signups.length > 0 || d.priority !== undefined;
}

/** Where to write back, as kept (sealed) in the store: the identifiers of the person's latest message. */
export interface Address {
  phone?: string;
  bsuid?: string;
}

export function addressOf(s: Sender, previous?: Address): Address {
  // A phone number missing from a later message was withheld (the person took a username): not used again.
  const bsuid = s.bsuid ?? s.parentBsuid ?? previous?.bsuid;
  return { ...(s.phone ? { phone: s.phone } : {}), ...(bsuid ? { bsuid } : {}) };
}

export function parseAddress(text: string): Address | undefined {
  try {
    const a = JSON.parse(text) as Address;
    return typeof a === 'object' && a && (typeof a.phone === 'string' || typeof a.bsuid === 'string') ? a : undefined;
  } catch {
    return undefined;
  }
}

/** The identifier Meta accepts for the person: the phone number while they show it (`to`), else the BSUID (`recipient`). */
export function recipientOf(a: Address): { to: string } | { recipient: string } {
  return a.phone ? { to: a.phone } : { recipient: a.bsuid! };
}

