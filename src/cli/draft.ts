/** `cabildo draft results`: the draft consultation's tallies and comments, for staff. */
import { stringify } from 'csv-stringify/sync';
import { loadContent } from '../content/load.js';
import { commentRef } from '../comment-ref.js';
import { CabildoError } from '../errors.js';
import { share, tallyDraft } from '../staff/draft-tally.js';
import { readSettings } from './config.js';
import { openStore } from './open.js';

/** The staff's response to the consultation on one commitment, published on /resultados/borrador. */
export async function respondToConsultation(commitment: string, text: string): Promise<void> {
  const settings = readSettings();
  const plan = loadContent(settings.contentDir).draftPlan;
  const id = /^c?(\d{1,3})$/i.exec(commitment)?.[1];
  if (!plan || !id || !plan.commitments.some((k) => k.id === `C${Number(id)}`)) throw new CabildoError('CONFIG_INVALID', `No commitment ${JSON.stringify(commitment)} in data/draft-plan.yaml.`);
  if (!text.trim()) throw new CabildoError('CONFIG_INVALID', '--text must hold the response.');
  const store = await openStore(settings);
  try {
    await store.respondToConsultation(`C${Number(id)}`, text.trim(), `cli:${process.env.CABILDO_ACTOR ?? 'staff'}`, settings.clock());
    process.stdout.write(`Published the response on C${Number(id)}.\n`);
  } finally {
    await store.close();
  }
}

export async function draftResults(format: string): Promise<void> {
  if (!['text', 'csv', 'json'].includes(format)) throw new CabildoError('CONFIG_INVALID', `--format must be text, csv or json (got ${JSON.stringify(format)}).`);
  const settings = readSettings();
  const plan = loadContent(settings.contentDir).draftPlan;
  if (!plan) throw new CabildoError('CONFIG_INVALID', `There is no draft plan: add data/draft-plan.yaml under ${settings.contentDir}.`);
  const store = await openStore(settings);
  try {
    const opinions = await store.opinions();
    const tally = tallyDraft(plan, opinions, await store.priorities());
    // Comments are anonymous: the commitment, the vote, the text and the date, never the person's key.
    const comments = opinions
      .filter((o) => o.comment)
      .map((o) => ({ id: commentRef(o), commitment: o.commitmentId, vote: o.vote, comment: o.comment!, at: o.at, hidden: o.hidden?.reason ?? '' }));
    await store.audit({ at: settings.clock().toISOString(), actor: `cli:${process.env.CABILDO_ACTOR ?? 'staff'}`, action: 'draft_results', detail: format });
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ plan: plan.name, commitments: tally, comments }, null, 2)}\n`);
    } else if (format === 'csv') {
      process.stdout.write(stringify(tally, { header: true, escape_formulas: true }));
      process.stdout.write(`\n${stringify(comments, { header: true, escape_formulas: true })}`);
    } else {
      const lines = tally.map(
        (t, i) =>
          `${i + 1}. ${t.id} ${t.title}\n   de acuerdo ${t.agree} (${share(t.agree, t.total)}) · en desacuerdo ${t.disagree} (${share(t.disagree, t.total)}) · paso ${t.pass} (${share(t.pass, t.total)}) · ${t.comments} comentarios · más importante ${t.mostImportant}`,
      );
      const recent = comments.slice(0, 20).map((c) => `- ${c.id} (${c.vote}, ${c.at.slice(0, 10)}): ${c.comment}${c.hidden ? ` [oculto: ${c.hidden}]` : ''}`);
      process.stdout.write(`${plan.name}\n\n${lines.join('\n')}\n\nComentarios recientes (${comments.length}):\n${recent.join('\n') || '-'}\n`);
    }
  } finally {
    await store.close();
  }
}
