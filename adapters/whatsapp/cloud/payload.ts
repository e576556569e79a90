/**
 * The webhook body, narrowed to what Cabildo reads: messages (text, button and list replies,
 * first-contact welcome requests, everything else as "not text"), the sender's identifiers, a
 * changed number or business-scoped id, and nothing from status callbacks.
 *
 * Since April 2026 Meta names the sender by a business-scoped user id (BSUID: `from_user_id` on
 * the message, `user_id` in `contacts`), and people who adopt a WhatsApp username have their
 * phone number (`from`, `contacts[].wa_id`) withheld: a message may carry a BSUID, a phone
 * number, or both, and must carry at least one.
 *
 * Two levels of checking: the envelope (`object`, `entry[].changes[].value`) must have the
 * webhook's shape or the whole body is refused; each message in it is then checked on its own,
 * so one malformed message does not cost the others in the same delivery their answers.
 */
import { z } from 'zod';

/** A phone number as WhatsApp writes it: digits only. */
export const phoneSchema = z.string().regex(/^\d{1,32}$/);
/**
 * A business-scoped user id: a two-letter country code, a dot, up to 128 letters and digits
 * (`CL.1502576394655843`); a parent BSUID, shared across a business's portfolios, has `ENT.`
 * after the country (`CL.ENT.11815799212886844830`).
 */
export const bsuidSchema = z.string().regex(/^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/);

/** The identity change a `system` message reports (a new phone number, or a new BSUID). */
const systemSchema = z
  .object({
    type: z.string().max(64),
    /** The new phone number (`new_wa_id` in older API versions). */
    wa_id: phoneSchema.optional(),
    new_wa_id: phoneSchema.optional(),
    user_id: bsuidSchema.optional(),
    parent_user_id: bsuidSchema.optional(),
    previous_user_id: bsuidSchema.optional(),
    previous_parent_user_id: bsuidSchema.optional(),
  })
  .loose();

/** One message, checked on its own (`safeParse`) after the envelope passed. */
export const messageSchema = z
  .object({
    /** The sender's phone number: absent when they adopted a username and Meta withholds it. */
    from: phoneSchema.optional(),
    /** The sender's BSUID, and their parent BSUID where the business enabled those. */
    from_user_id: bsuidSchema.optional(),
    from_parent_user_id: bsuidSchema.optional(),
    id: z.string().min(1).max(256),
    /** Unix seconds as a string. */
    timestamp: z.string().regex(/^\d{1,12}$/).optional(),
    type: z.string().min(1).max(64),
    /** Present on messages sent in a group the business takes part in. */
    group_id: z.string().optional(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      })
      .optional(),
    button: z.object({ text: z.string() }).optional(),
    system: systemSchema.optional(),
  })
  .loose()
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined || m.from_parent_user_id !== undefined, { message: 'a message names its sender by phone number or BSUID', path: ['from'] });

/** A `contacts` entry: the sender's profile and identifiers, matched to messages by either. */
const contactSchema = z
  .object({
    wa_id: phoneSchema.optional(),
    user_id: bsuidSchema.optional(),
    parent_user_id: bsuidSchema.optional(),
  })
  .loose();

/** Most messages one change may carry; Meta sends far fewer, a longer list is not a real delivery. */
const MAX_MESSAGES_PER_CHANGE = 1000;

export const webhookSchema = z
  .object({
    object: z.literal('whatsapp_business_account'),
    entry: z.array(
      z
        .object({
          changes: z.array(
            z
              .object({
                field: z.string().optional(),
                value: z
                  .object({
                    metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() }).loose().optional(),
                    // Each message and contact is checked on its own by `inboundMessages`.
                    messages: z.array(z.unknown()).max(MAX_MESSAGES_PER_CHANGE).optional(),
                    contacts: z.array(z.unknown()).max(MAX_MESSAGES_PER_CHANGE).optional(),
                  })
                  .loose(),
              })
              .loose(),
          ),
        })
        .loose(),
    ),
  })
  .loose();

export type WebhookBody = z.infer<typeof webhookSchema>;

/** Who wrote: at least one of the two. Personal data: hashed or sealed before it is stored, never logged. */
export interface Sender {
  phone?: string;
  bsuid?: string;
  parentBsuid?: string;
}

export interface CloudInbound {
  from: Sender;
  id: string;
  /** Unix seconds, as WhatsApp sends it. */
  timestamp?: number;
  /**
   * What to do with it: answer the text, greet a first contact, say only text is read, or
   * (`identity`) note that the sender's number or BSUID changed, without answering.
   */
  kind: 'text' | 'welcome' | 'nonText' | 'identity';
  /** The text, or the tapped option's title (kind `text` only). */
  text?: string;
  /** Kind `identity`: the identifiers the sender has now. */
  now?: Sender;
}

/** The identifier the engine knows the sender by: the BSUID when there is one (it survives a hidden phone number). */
export function senderId(s: Sender): string {
  return s.bsuid ?? s.parentBsuid ?? s.phone!;
}

/** Every identifier of the sender, the one `senderId` picks first. */
export function senderIds(s: Sender): string[] {
  return [s.bsuid, s.parentBsuid, s.phone].filter((x): x is string => x !== undefined);
}

/** Why a message was left out; logged as a field, never with the message's text or sender. */
export type SkipReason = 'invalid' | 'group' | 'own_number' | 'reaction' | 'system';

export interface Skipped {
  reason: SkipReason;
  /** For `invalid`: where the message broke the schema (paths and zod codes only, no values). */
  issues?: { path: string; code: string }[];
}

/** Message types that need no answer: a reaction to one of our messages, a system notice (identity changes are read first). */
const SILENT_TYPES: Record<string, SkipReason> = { reaction: 'reaction', system: 'system' };
/** System notices that the sender now has another phone number or BSUID: the same person. */
const IDENTITY_CHANGES = new Set(['user_changed_number', 'user_changed_user_id']);

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * The messages worth handling, in delivery order, and what was skipped and why. `ownIds` are
 * the business's own ids (its phone number id from the settings); the change's metadata adds
 * the display number and phone number id Meta names there.
 */
export function inboundMessages(body: WebhookBody, ownIds: string[] = []): { messages: CloudInbound[]; skipped: Skipped[] } {
  const messages: CloudInbound[] = [];
  const skipped: Skipped[] = [];
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const meta = change.value.metadata;
      const own = new Set([...ownIds, meta?.display_phone_number, meta?.phone_number_id].filter((s): s is string => !!s).map(digits).filter(Boolean));
      // Contacts that do not parse are left out; the message still names its sender.
      const contacts = (change.value.contacts ?? []).flatMap((c) => {
        const parsed = contactSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      });
      for (const raw of change.value.messages ?? []) {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          skipped.push({ reason: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })) });
          continue;
        }
        const m = parsed.data;
        const from = senderOf(m, contacts);
        const base = { from, id: m.id, ...(m.timestamp ? { timestamp: Number(m.timestamp) } : {}) };
        if (m.group_id === undefined && m.type === 'system' && m.system && IDENTITY_CHANGES.has(m.system.type)) {
          const sys = m.system;
          // The previous BSUID names the person too (a number change also regenerates the BSUID).
          if (sys.previous_user_id && !from.bsuid) from.bsuid = sys.previous_user_id;
          const phone = sys.wa_id ?? sys.new_wa_id;
          const now: Sender = { ...(phone ? { phone } : {}), ...(sys.user_id ? { bsuid: sys.user_id } : {}), ...(sys.parent_user_id ? { parentBsuid: sys.parent_user_id } : {}) };
          if (senderIds(now).length) {
            messages.push({ ...base, kind: 'identity', now });
            continue;
          }
        }
        const silent = m.group_id !== undefined ? 'group' : from.phone !== undefined && own.has(digits(from.phone)) ? 'own_number' : SILENT_TYPES[m.type];
        if (silent) {
          skipped.push({ reason: silent });
          continue;
        }
        if (m.type === 'request_welcome') {
          messages.push({ ...base, kind: 'welcome' });
          continue;
        }
        const text = m.type === 'text' ? m.text?.body : m.type === 'interactive' ? (m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title) : m.type === 'button' ? m.button?.text : undefined;
        messages.push(text !== undefined ? { ...base, kind: 'text', text } : { ...base, kind: 'nonText' });
      }
    }
  }
  return { messages, skipped };
}

/**
 * The messages in the order their senders wrote them: by `timestamp`, ties (and messages
 * without one, which keep the place of the message before them) in delivery order. Meta does
 * not promise to deliver a person's messages in order, within one webhook call or across calls.
 */
export function inTimestampOrder(messages: CloudInbound[]): CloudInbound[] {
  let last = -Infinity;
  const keyed = messages.map((m, i) => {
    const t = m.timestamp !== undefined && Number.isFinite(m.timestamp) ? m.timestamp : last;
    last = Math.max(last, t);
    return { m, t, i };
  });
  return keyed.sort((a, b) => a.t - b.t || a.i - b.i).map((k) => k.m);
}

/**
 * The sender's identifiers: the message's own, completed from the `contacts` entry that shares
 * one of them (Meta may put the BSUID only there).
 */
function senderOf(m: z.infer<typeof messageSchema>, contacts: z.infer<typeof contactSchema>[]): Sender {
  const contact = contacts.find((c) => (m.from_user_id !== undefined && c.user_id === m.from_user_id) || (m.from !== undefined && c.wa_id === m.from));
  const phone = m.from ?? contact?.wa_id;
  const bsuid = m.from_user_id ?? contact?.user_id;
  const parentBsuid = m.from_parent_user_id ?? contact?.parent_user_id;
  return { ...(phone ? { phone } : {}), ...(bsuid ? { bsuid } : {}), ...(parentBsuid ? { parentBsuid } : {}) };
}
