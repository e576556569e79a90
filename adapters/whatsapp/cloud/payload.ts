/**
 * The webhook body, narrowed to what Cabildo reads: messages (text, button and list replies,
 * first-contact welcome requests, everything else as "not text") and nothing from status
 * callbacks.
 *
 * Two levels of checking: the envelope (`object`, `entry[].changes[].value`) must have the
 * webhook's shape or the whole body is refused; each message in it is then checked on its own,
 * so one malformed message does not cost the others in the same delivery their answers.
 */
import { z } from 'zod';

/** One message, checked on its own (`safeParse`) after the envelope passed. */
export const messageSchema = z
  .object({
    from: z.string().min(1).max(32),
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
                    // Each message is checked on its own by `inboundMessages`.
                    messages: z.array(z.unknown()).max(MAX_MESSAGES_PER_CHANGE).optional(),
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

export interface CloudInbound {
  /** The sender's WhatsApp id (their phone number): personal data, kept in memory only. */
  from: string;
  id: string;
  /** Unix seconds, as WhatsApp sends it. */
  timestamp?: number;
  /** What to do with it: answer the text, greet a first contact, or say only text is read. */
  kind: 'text' | 'welcome' | 'nonText';
  /** The text, or the tapped option's title (kind `text` only). */
  text?: string;
}

/** Why a message was left out; logged as a field, never with the message's text or sender. */
export type SkipReason = 'invalid' | 'group' | 'own_number' | 'reaction' | 'system';

export interface Skipped {
  reason: SkipReason;
  /** For `invalid`: where the message broke the schema (paths and zod codes only, no values). */
  issues?: { path: string; code: string }[];
}

/** Message types that need no answer: a reaction to one of our messages, a number change notice. */
const SILENT_TYPES: Record<string, SkipReason> = { reaction: 'reaction', system: 'system' };

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
      for (const raw of change.value.messages ?? []) {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          skipped.push({ reason: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })) });
          continue;
        }
        const m = parsed.data;
        const silent = m.group_id !== undefined ? 'group' : own.has(digits(m.from)) ? 'own_number' : SILENT_TYPES[m.type];
        if (silent) {
          skipped.push({ reason: silent });
          continue;
        }
        const base = { from: m.from, id: m.id, ...(m.timestamp ? { timestamp: Number(m.timestamp) } : {}) };
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
