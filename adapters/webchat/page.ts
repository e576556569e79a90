/**
 * The demo page at `/`: `public/index.html` with who runs the consultation filled in (the
 * organiser and its logo in the title and header, the privacy policy and a contact in the
 * footer), from `data/consultation.yaml`. Every value is HTML-escaped: the page is a template,
 * rendered once at start.
 */
import escapeHtml from 'escape-html';
import type { Content } from '../../src/index.js';

/** Where the organiser's logo is served from (the file named by `logo` in consultation.yaml). */
export const LOGO_PATH = '/organizador/logo';

export interface Organizer {
  /** The organiser's name (`organizer`). */
  name: string;
  /** The consultation's name (`name`). */
  consultation: string;
  hasLogo: boolean;
  privacyUrl?: string;
  contact?: string;
}

export function organizerOf(content: Content): Organizer {
  const c = content.consultation;
  return {
    name: c.organizer,
    consultation: c.name,
    hasLogo: content.logoFile !== undefined,
    ...(c.privacy_url ? { privacyUrl: c.privacy_url } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
  };
}

/** Fills the template's `{{slot}}`s; every value comes out escaped. */
export function renderPage(template: string, organizer: Organizer): string {
  const slots: Record<string, string> = {
    title: escapeHtml(`Cabildo · ${organizer.name}`),
    organizer: escapeHtml(organizer.name),
    consultation: escapeHtml(organizer.consultation),
    // The name is written beside the logo, so the image itself is decorative.
    logo: organizer.hasLogo ? `<img class="logo" src="${LOGO_PATH}" alt="" height="40">` : '',
    footer: footer(organizer),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => slots[name] ?? whole);
}

function footer(o: Organizer): string {
  const parts = [`Organiza: ${escapeHtml(o.name)}.`];
  if (o.privacyUrl) parts.push(`<a href="${escapeHtml(o.privacyUrl)}" rel="noopener">Política de privacidad</a>`);
  if (o.contact) parts.push(`Contacto: ${contactLink(o.contact)}`);
  parts.push('<a href="/resultados">Resultados de la consulta</a>');
  return parts.join(' <span aria-hidden="true">·</span> ');
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const WEB = /^https?:\/\/\S+$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/** A contact as a link people can follow: an email, a web address or a phone; anything else as text. */
function contactLink(contact: string): string {
  const text = escapeHtml(contact);
  if (EMAIL.test(contact)) return `<a href="mailto:${escapeHtml(encodeURI(contact))}">${text}</a>`;
  if (WEB.test(contact)) return `<a href="${text}" rel="noopener">${text}</a>`;
  if (PHONE.test(contact)) return `<a href="tel:${contact.replace(/[^\d+]/g, '')}">${text}</a>`;
  return text;
}
