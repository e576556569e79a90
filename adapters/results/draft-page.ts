/**
 * `/resultados/borrador`: the public consultation of the draft, per commitment: agree / disagree
 * / pass counts and shares, times chosen most important (ranked), and the comments (masked,
 * escaped, newest first, paged). Opinions carry no person identifier; none is shown.
 */
import escapeHtml from 'escape-html';
import type { Content } from '../../src/content/load.js';
import type { DraftPlan } from '../../src/content/schema.js';
import { commentRef } from '../../src/comment-ref.js';
import { maskPersonalData } from '../../src/privacy/mask.js';
import { share, tallyDraft } from '../../src/staff/draft-tally.js';
import type { CommitmentResponse, Opinion, Priority } from '../../src/types.js';
import { layout } from './pages.js';

/** Comments shown per commitment and page. */
export const COMMENTS_PER_PAGE = 10;

const esc = (text: string) => escapeHtml(text);

/** One comment as published: its reference, the commitment, the vote, the masked text, the date. */
export interface PublishedComment {
  id: string;
  commitment: string;
  vote: Opinion['vote'];
  comment: string;
  at: string;
}

/** A comment on the page: published, or the moderation reason in its place. */
type ShownComment = PublishedComment | { id: string; commitment: string; hidden: string; at: string };

/** Comments newest first, masked, each by its reference (`C3:12`); hidden ones carry only the reason. */
function shownComments(opinions: Opinion[]): ShownComment[] {
  return opinions
    .filter((o) => o.comment)
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((o) => {
      const id = commentRef(o);
      return o.hidden
        ? { id, commitment: o.commitmentId, hidden: maskPersonalData(o.hidden.reason), at: o.at }
        : { id, commitment: o.commitmentId, vote: o.vote, comment: maskPersonalData(o.comment!), at: o.at };
    });
}

/** The comments `/datos/opiniones.*` serves: those not hidden by moderation. */
export function publishedComments(opinions: Opinion[]): PublishedComment[] {
  return shownComments(opinions).filter((c): c is PublishedComment => !('hidden' in c));
}

export function draftPage(content: Content, plan: DraftPlan, opinions: Opinion[], priorities: Priority[], responses: CommitmentResponse[], page: number, now: Date): string {
  const votes = content.messages.vote_labels;
  const tally = tallyDraft(plan, opinions, priorities);
  const comments = shownComments(opinions);
  const pages = Math.max(1, ...plan.commitments.map((k) => Math.ceil(comments.filter((c) => c.commitment === k.id).length / COMMENTS_PER_PAGE)));
  const current = Math.min(Math.max(1, page), pages);
  const sections = tally
    .map((t, rank) => {
      const mine = comments.filter((c) => c.commitment === t.id);
      const shown = mine.slice((current - 1) * COMMENTS_PER_PAGE, current * COMMENTS_PER_PAGE);
      return `<section aria-labelledby="k-${esc(t.id)}">
<h2 id="k-${esc(t.id)}">${rank + 1}. ${esc(t.id)} · ${esc(t.title)}</h2>
<p>Elegido como el más importante <strong>${t.mostImportant}</strong> ${t.mostImportant === 1 ? 'vez' : 'veces'}. ${t.total} ${t.total === 1 ? 'persona opinó' : 'personas opinaron'}.</p>
<table>
<caption class="meta">Opiniones sobre ${esc(t.id)}</caption>
<thead><tr><th scope="col">Opinión</th><th scope="col">Personas</th><th scope="col">Porcentaje</th></tr></thead>
<tbody>
<tr><th scope="row">${esc(votes.agree)}</th><td>${t.agree}</td><td>${share(t.agree, t.total)}</td></tr>
<tr><th scope="row">${esc(votes.disagree)}</th><td>${t.disagree}</td><td>${share(t.disagree, t.total)}</td></tr>
<tr><th scope="row">${esc(votes.pass)}</th><td>${t.pass}</td><td>${share(t.pass, t.total)}</td></tr>
</tbody>
</table>
${(() => {
  const response = responses.find((r) => r.commitmentId === t.id);
  return response ? `<h3>Respuesta del equipo a la consulta</h3>\n<p>${esc(maskPersonalData(response.text))}</p>\n<p class="meta">${esc(response.at.slice(0, 10))}</p>` : '';
})()}
<h3>Comentarios (${mine.length})</h3>
${shown.length ? `<ul>${shown.map((c) => `<li id="${esc(c.id.replace(':', '-'))}">${'hidden' in c ? `<p>Oculto por moderación: ${esc(c.hidden)}</p><p class="meta">${esc(c.id)} · ${esc(c.at.slice(0, 10))}</p>` : `<p>«${esc(c.comment)}»</p><p class="meta">${esc(c.id)} · ${esc(votes[c.vote])} · ${esc(c.at.slice(0, 10))}</p>`}</li>`).join('\n')}</ul>` : '<p>Sin comentarios en esta página.</p>'}
</section>`;
    })
    .join('\n');
  const nav = `<nav class="pages" aria-label="Páginas de comentarios">
  ${current > 1 ? `<a href="/resultados/borrador${current - 1 > 1 ? `?pagina=${current - 1}` : ''}">← Comentarios anteriores</a>` : '<span></span>'}
  <span>Página ${current} de ${pages}</span>
  ${current < pages ? `<a href="/resultados/borrador?pagina=${current + 1}">Comentarios siguientes →</a>` : '<span></span>'}
</nav>`;
  const main = `<h1>Consulta pública del borrador</h1>
<p>${esc(plan.name)}. Los compromisos están ordenados por las veces que se eligieron como el más importante. Las opiniones son anónimas y los datos personales de los comentarios se ocultan.</p>
${sections}
${nav}`;
  return layout(content, 'Consulta del borrador', main, now);
}
