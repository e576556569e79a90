/**
 * The public results pages, server-rendered HTML in Spanish that needs no JavaScript: the list
 * of proposals with filters and paging, and each proposal's public view. Everything a person
 * wrote is masked (src/privacy/mask.ts) and HTML-escaped; nothing personal is ever shown
 * (contact, user key, channel), and withdrawn proposals do not exist here.
 */
import escapeHtml from 'escape-html';
import type { Content } from '../../src/content/load.js';
import { calendarPosition, formatDate } from '../../src/answers/timeline.js';
import { maskPersonalData } from '../../src/privacy/mask.js';
import { fold } from '../../src/text/fold.js';
import type { TerritoryCatalog } from '../../src/territory/catalog.js';
import { inTerritory } from '../../src/territory/filter.js';
import { DRAFT_FIELDS, type FieldCard, OPINION_FIELDS, PROPOSAL_FIELDS } from '../../src/export/open-data.js';
import { PILLARS, PROPOSAL_STATUSES, type Pillar, type Proposal, type ProposalStatus } from '../../src/types.js';

/** Proposals per page of the list. */
export const PAGE_SIZE = 20;

const esc = (text: string) => escapeHtml(text);
/** Text a person (citizen or staff) wrote: masked, then escaped. */
const said = (text: string) => esc(maskPersonalData(text));
const day = (iso: string) => formatDate(iso.slice(0, 10));

export const PUBLIC_STATUSES = PROPOSAL_STATUSES.filter((s): s is Exclude<ProposalStatus, 'retirada'> => s !== 'retirada');

export interface ListQuery {
  status?: ProposalStatus;
  territory?: string;
  pillar?: Pillar;
  q?: string;
  page: number;
}

/** The query string as the list understands it; anything unknown is ignored, never an error. */
export function readQuery(query: Record<string, unknown>): ListQuery {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : undefined);
  const status = text(query.estado);
  const pillar = text(query.pilar);
  const page = Number(text(query.pagina) ?? 1);
  return {
    ...((PUBLIC_STATUSES as readonly string[]).includes(status ?? '') ? { status: status as ProposalStatus } : {}),
    ...((PILLARS as readonly string[]).includes(pillar ?? '') ? { pillar: pillar as Pillar } : {}),
    ...(text(query.territorio) ? { territory: text(query.territorio)! } : {}),
    ...(text(query.q) ? { q: text(query.q)! } : {}),
    page: Number.isInteger(page) && page > 0 ? Math.min(page, 100_000) : 1,
  };
}


/** What the list shows for a query: public proposals only, newest first, matched on their masked text. */
export function select(proposals: Proposal[], query: ListQuery, places: TerritoryCatalog): Proposal[] {
  const q = query.q ? fold(query.q) : undefined;
  // A region finds its communes too ("metropolitana" finds San Bernardo).
  const territory = query.territory ? inTerritory(query.territory, places) : undefined;
  return proposals.filter(
    (p) =>
      p.status !== 'retirada' &&
      (!query.status || p.status === query.status) &&
      (!territory || territory(p.territory)) &&
      (!query.pillar || p.pillars.includes(query.pillar)) &&
      // A hidden proposal is found by its number only: its text is not public.
      (!q || fold(p.hidden ? p.id : maskPersonalData(`${p.id} ${p.title} ${p.problem} ${p.description} ${p.territory}`)).includes(q)),
  );
}

/** The page around every results page: header with the consultation, skip link, footer. */
export function layout(content: Content, title: string, main: string, updatedAt: Date): string {
  const c = content.consultation;
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(c.name)}</title>
<style>
  :root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b5394; --bg: #ffffff; --soft: #f3f6fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  header, main, footer { max-width: 64rem; margin: 0 auto; padding: 1rem; }
  header { border-bottom: 1px solid var(--line); }
  header p { margin: .25rem 0 0; color: var(--muted); }
  a { color: var(--accent); }
  a:focus-visible, input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid #f1c232; outline-offset: 2px; }
  .skip { position: absolute; left: -999px; }
  .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
  form.filters { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); background: var(--soft); padding: 1rem; border-radius: .5rem; }
  label { display: block; font-weight: 600; }
  input, select, button { font: inherit; width: 100%; min-height: 44px; padding: .4rem; border: 1px solid #767676; border-radius: .3rem; background: #fff; color: var(--ink); }
  button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; align-self: end; }
  ul.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
  ol.proposals { list-style: none; padding: 0; }
  ol.proposals li { border-bottom: 1px solid var(--line); padding: .75rem 0; }
  ol.proposals h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
  .meta { color: var(--muted); margin: 0; }
  nav.pages { display: flex; gap: 1rem; justify-content: space-between; margin: 1rem 0; }
  dl.fields dt { font-weight: 700; margin-top: .75rem; }
  dl.fields dd { margin: .1rem 0 0; white-space: pre-wrap; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  footer { color: var(--muted); border-top: 1px solid var(--line); }
</style>
</head>
<body>
<a class="skip" href="#contenido">Ir al contenido</a>
<header>
  <p><a href="/resultados">Resultados</a> · <a href="/resultados/borrador">Consulta del borrador</a> · <a href="/datos">Datos abiertos</a> · <a href="/">Chat</a></p>
  <p>${esc(c.name)} · ${esc(c.organizer)}</p>
</header>
<main id="contenido">
${main}
</main>
<footer>
  <p>Datos actualizados el ${esc(day(updatedAt.toISOString()))}. Los datos personales escritos en los textos se ocultan. Las propuestas retiradas por quien las envió no se publican.</p>
</footer>
</body>
</html>`;
}

const statusLabel = (content: Content, s: ProposalStatus) => content.messages.status_labels[s];
const pillarLabel = (content: Content, p: Pillar) => content.messages.pillar_labels[p];

function link(query: ListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.status) params.set('estado', query.status);
  if (query.territory) params.set('territorio', query.territory);
  if (query.pillar) params.set('pilar', query.pillar);
  if (query.q) params.set('q', query.q);
  if (page > 1) params.set('pagina', String(page));
  const s = params.toString();
  return `/resultados${s ? `?${s}` : ''}`;
}

/** `GET /resultados`: counts by status, filters, and one page of proposals. */
export function listPage(content: Content, all: Proposal[], matching: Proposal[], query: ListQuery, now: Date): string {
  const published = all.filter((p) => p.status !== 'retirada');
  const counts = PUBLIC_STATUSES.map((s) => `<li>${esc(statusLabel(content, s))}: <strong>${published.filter((p) => p.status === s).length}</strong></li>`).join('');
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const stage = calendarPosition(content.consultation, now).current.map((s) => s.name).join(', ');
  const option = (value: string, label: string, selected: boolean) => `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
  const items = shown
    .map((p) =>
      p.hidden
        ? `<li>
  <h3><a href="/resultados/${esc(p.id)}">${esc(p.id)}</a></h3>
  <p class="meta">Oculto por moderación: ${said(p.hidden.reason)}</p>
</li>`
        : `<li>
  <h3><a href="/resultados/${esc(p.id)}">${said(p.title)}</a></h3>
  <p class="meta">${esc(p.id)} · ${esc(statusLabel(content, p.status))} · ${said(p.territory)} · ${esc(p.pillars.map((x) => pillarLabel(content, x)).join(', '))} · recibida el ${esc(day(p.createdAt))}</p>
</li>`,
    )
    .join('\n');
  const main = `<h1>Resultados de la consulta</h1>
<p>${stage ? `Etapa actual: <strong>${esc(stage)}</strong>.` : 'No hay una etapa abierta hoy.'} ${published.length} propuestas publicadas.</p>
<h2>Propuestas por estado</h2>
<ul class="counts">${counts}</ul>
<h2>Buscar propuestas</h2>
<form class="filters" method="get" action="/resultados" role="search">
  <div><label for="f-q">Texto o número</label><input id="f-q" name="q" type="search" value="${esc(query.q ?? '')}"></div>
  <div><label for="f-estado">Estado</label><select id="f-estado" name="estado">${option('', 'Todos', !query.status)}${PUBLIC_STATUSES.map((s) => option(s, statusLabel(content, s), query.status === s)).join('')}</select></div>
  <div><label for="f-pilar">Pilar</label><select id="f-pilar" name="pilar">${option('', 'Todos', !query.pillar)}${PILLARS.map((p) => option(p, pillarLabel(content, p), query.pillar === p)).join('')}</select></div>
  <div><label for="f-territorio">Territorio</label><input id="f-territorio" name="territorio" value="${esc(query.territory ?? '')}"></div>
  <button type="submit">Filtrar</button>
</form>
<h2>Propuestas (${matching.length})</h2>
${shown.length ? `<ol class="proposals">\n${items}\n</ol>` : '<p>No hay propuestas con esos filtros.</p>'}
<nav class="pages" aria-label="Páginas">
  ${page > 1 ? `<a href="${esc(link(query, page - 1))}">← Anteriores</a>` : '<span></span>'}
  <span>Página ${page} de ${pages}</span>
  ${page < pages ? `<a href="${esc(link(query, page + 1))}">Siguientes →</a>` : '<span></span>'}
</nav>`;
  return layout(content, 'Resultados', main, now);
}

/** `GET /resultados/:id`: one proposal's public view. */
export function proposalPage(content: Content, p: Proposal, now: Date): string {
  if (p.hidden) {
    return layout(content, p.id, `<h1>${esc(p.id)}</h1>\n<p>Oculto por moderación: ${said(p.hidden.reason)}</p>\n<p><a href="/resultados">← Volver a los resultados</a></p>`, now);
  }
  const m = content.messages;
  const f = content.form.fields;
  const commitments = (content.draftPlan?.commitments ?? []).filter((k) => k.origin.includes(p.id));
  const history = p.history
    .map((h) => `<tr><td>${esc(day(h.at))}</td><td>${esc(m.status_labels[h.status])}</td><td>${h.answer ? said(h.answer) : ''}</td></tr>`)
    .join('\n');
  const field = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${said(value)}</dd>`;
  const main = `<h1>${said(p.title)}</h1>
<p class="meta">${esc(p.id)} · Estado: <strong>${esc(m.status_labels[p.status])}</strong> · Recibida el ${esc(day(p.createdAt))}</p>
${p.answer ? `<h2>Respuesta del equipo</h2>\n<p>${said(p.answer)}</p>` : ''}
<h2>La propuesta</h2>
<dl class="fields">
${field(f.problem.label, p.problem)}
${field(f.description.label, p.description)}
${field(f.actors.label, p.actors)}
${field(f.components.label, p.components)}
${field(f.institution.label, p.institution)}
<dt>${esc(f.pillars.label)}</dt><dd>${esc(p.pillars.map((x) => m.pillar_labels[x]).join(', '))}</dd>
${field(f.territory.label, p.territory)}
</dl>
<h2>Historial</h2>
<table>
<caption class="meta">Cambios de estado, del primero al último</caption>
<thead><tr><th scope="col">Fecha</th><th scope="col">Estado</th><th scope="col">Respuesta</th></tr></thead>
<tbody>
${history}
</tbody>
</table>
${commitments.length ? `<h2>En el borrador del plan</h2>\n<ul>${commitments.map((k) => `<li><a href="/resultados/borrador#k-${esc(k.id)}">Compromiso ${esc(k.id)}: ${esc(k.title)}</a></li>`).join('')}</ul>` : ''}
<p><a href="/resultados">← Volver a los resultados</a></p>`;
  return layout(content, maskPersonalData(p.title), main, now);
}

export function notFoundPage(content: Content, now: Date): string {
  return layout(content, 'No encontrada', '<h1>No encontramos esa propuesta</h1>\n<p>Revisa el número (por ejemplo GA-2027-000123) o <a href="/resultados">busca en los resultados</a>. Las propuestas retiradas por quien las envió no se publican.</p>', now);
}

/** `GET /datos`: what is published, under which licence, and the data card of each file. */
export function dataPage(content: Content, licence: string, now: Date): string {
  const card = (caption: string, fields: FieldCard[]) => `<table>
<caption class="meta">${esc(caption)}</caption>
<thead><tr><th scope="col">Campo</th><th scope="col">Tipo</th><th scope="col">Significado</th></tr></thead>
<tbody>
${fields.map((f) => `<tr><th scope="row"><code>${esc(f.name)}</code></th><td>${esc(f.type)}</td><td>${esc(f.meaning)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  const main = `<h1>Datos abiertos</h1>
<p>Las propuestas de la consulta, publicadas bajo la licencia <strong>${esc(licence)}</strong>: puedes usarlas, compartirlas y adaptarlas citando a ${esc(content.consultation.organizer)}.</p>
<h2>Archivos</h2>
<ul>
  <li><a href="/datos/propuestas.csv">propuestas.csv</a> y <a href="/datos/propuestas.json">propuestas.json</a>: una fila por propuesta.</li>
  <li><a href="/datos/borrador.csv">borrador.csv</a> y <a href="/datos/borrador.json">borrador.json</a>: por compromiso del borrador, las opiniones de acuerdo, en desacuerdo y paso, los comentarios y las veces que se eligió como el más importante.</li>
  <li><a href="/datos/opiniones.csv">opiniones.csv</a> y <a href="/datos/opiniones.json">opiniones.json</a>: un comentario publicado por fila, con su compromiso, la opinión y la fecha, sin nada que identifique a la persona.</li>
</ul>
<p>CSV en UTF-8 según RFC 4180; JSON con <code>licence</code>, <code>generated_at</code>, <code>fields</code> y <code>records</code>.</p>
<p>Se generan en el momento a partir de los datos de la consulta, así que siempre están al día; cada archivo lleva <code>ETag</code> y <code>Last-Modified</code>.</p>
<h2>Cómo se protegen los datos personales</h2>
<p>Nunca se publican los datos de contacto, el canal por el que llegó una propuesta ni el identificador de quien la envió. En los textos se ocultan teléfonos, correos, RUT, nombres después de «me llamo», «Sra.» o «Estimada», direcciones, cuentas bancarias y patentes. Las propuestas retiradas por quien las envió no se publican.</p>
<h2>Campos de propuestas.csv y propuestas.json</h2>
${card('Cada campo de propuestas, su tipo y su significado', PROPOSAL_FIELDS)}
<h2>Campos de borrador.csv y borrador.json</h2>
${card('Cada campo de borrador, su tipo y su significado', DRAFT_FIELDS)}
<h2>Campos de opiniones.csv y opiniones.json</h2>
${card('Cada campo de opiniones, su tipo y su significado', OPINION_FIELDS)}`;
  return layout(content, 'Datos abiertos', main, now);
}
