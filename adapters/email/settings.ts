/**
 * Email settings: `SMTP_URL` turns email on, `MAIL_FROM` says who sends it, and the links in
 * each email (the unsubscribe link above all) need `CABILDO_PUBLIC_URL`. Without `SMTP_URL`
 * nothing is emailed. A malformed value stops start-up with a message that names it.
 */
import { z } from 'zod';
import { CabildoError } from '../../src/index.js';
import { SENDER_DEFAULTS } from './sender.js';
import type { EmailSettings } from './index.js';

/** A display name and an address (`Cabildo <consulta@municipio.cl>`) or the address alone; one line. */
const FROM = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/;

export function readEmailSettings(environment: NodeJS.ProcessEnv): EmailSettings | undefined {
  const env = Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined && v.trim() !== '')) as NodeJS.ProcessEnv;
  if (!env.SMTP_URL) return undefined;
  const url = z.url({ protocol: /^smtps?$/ }).safeParse(env.SMTP_URL);
  if (!url.success) {
    throw new CabildoError('CONFIG_INVALID', 'SMTP_URL must be an SMTP server address such as smtp://user:password@mail.municipio.cl:587 (STARTTLS) or smtps://…:465.');
  }
  const from = FROM.exec(env.MAIL_FROM?.trim() ?? '');
  const address = from?.[1] ?? from?.[2];
  if (!address || !z.email().safeParse(address).success) {
    throw new CabildoError('CONFIG_INVALID', 'MAIL_FROM must be the sender of Cabildo\'s emails, such as "Consulta Municipal <consulta@municipio.cl>" (required with SMTP_URL).');
  }
  const publicUrl = env.CABILDO_PUBLIC_URL;
  if (!publicUrl || !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl)) {
    throw new CabildoError('CONFIG_INVALID', 'SMTP_URL needs CABILDO_PUBLIC_URL too: the address people reach this server at (https://consulta.municipio.cl), for the unsubscribe link in every email.');
  }
  return { ...SENDER_DEFAULTS, smtpUrl: url.data, from: env.MAIL_FROM!.trim(), publicUrl: publicUrl.replace(/\/+$/, '') };
}
