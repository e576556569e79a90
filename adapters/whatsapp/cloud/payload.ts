/**
 * The webhook body, narrowed to what Cabildo reads: messages (text, button and list replies,
 * everything else as "not text") and nothing from status callbacks.
 */
import { z } from 'zod';

const message = z
  .object({
    from: z.string().min(1).max(32),
    id: z.string().min(1).max(256),
    timestamp: z.string().optional(),
    type: z.string(),
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

export const webhookSchema = z
  .object({
    object: z.string(),
    entry: z.array(
      z
        .object({
          changes: z.array(z.object({ field: z.string().optional(), value: z.object({ messages: z.array(message).optional() }).loose() }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

export interface CloudInbound {
  /** The sender's WhatsApp id (their phone number): personal data, kept in memory only. */
  from: string;
  id: string;
  /** Unix seconds, as WhatsApp sends it. */
  timestamp?: number;
  /** The text, or the tapped option's title; undefined for audio, images, stickers, locations. */
  text?: string;
}

export function inboundMessages(body: z.infer<typeof webhookSchema>): CloudInbound[] {
  const out: CloudInbound[] = [];
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      for (const m of change.value.messages ?? []) {
        const text = m.type === 'text' ? m.text?.body : m.type === 'interactive' ? (m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title) : m.type === 'button' ? m.button?.text : undefined;
        out.push({ from: m.from, id: m.id, ...(m.timestamp ? { timestamp: Number(m.timestamp) } : {}), ...(text !== undefined ? { text } : {}) });
      }
    }
  }
  return out;
}
