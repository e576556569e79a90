/**
 * The public results (`/resultados`): read through the store's port, rendered in pages.ts.
 * Open to anyone, so only public views, and a bounded query string.
 */
import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { lastChange, openDataFile, tableFile } from '../../src/export/open-data.js';
import { tallyDraft } from '../../src/staff/draft-tally.js';
import { draftPage, publishedComments } from './draft-page.js';
import type { Engine, Store } from '../../src/index.js';
import { dataPage, listPage, notFoundPage, proposalPage, readQuery, select } from './pages.js';

const TRACKING = /^[A-Z]{2}-\d{4}-\d{6}$/;

export function createResultsRouter(engine: Engine, store: Store, licence: string): Router {
  const router = Router();
  const html = (res: Response, status: number, body: string) => res.status(status).type('html').setHeader('Cache-Control', 'no-cache').send(body);

  router.get('/resultados', async (req, res) => {
    const query = readQuery(req.query as Record<string, unknown>);
    // One read: the counts need every proposal, and the filters run on the same list.
    const all = await store.list();
    html(res, 200, listPage(engine.content, all, select(all, query), query, engine.now()));
  });

  router.get('/resultados/borrador', async (req, res) => {
    const plan = engine.content.draftPlan;
    if (!plan) return html(res, 404, notFoundPage(engine.content, engine.now()));
    const page = Number(req.query.pagina ?? 1);
    html(res, 200, draftPage(engine.content, plan, await store.opinions(), await store.priorities(), await store.consultationResponses(), Number.isInteger(page) ? page : 1, engine.now()));
  });

  router.get('/resultados/:id', async (req, res) => {
    const id = req.params.id.toUpperCase();
    const proposal = TRACKING.test(id) ? await store.get(id) : undefined;
    // A withdrawn proposal is not published: to the public it does not exist.
    if (!proposal || proposal.status === 'retirada') return html(res, 404, notFoundPage(engine.content, engine.now()));
    html(res, 200, proposalPage(engine.content, proposal, engine.now()));
  });

  router.get('/datos', (_req, res) => html(res, 200, dataPage(engine.content, licence, engine.now())));

  /** A flat file at a stable address; a client that has the current version gets 304. */
  function file(res: Response, format: 'csv' | 'json', body: string, changed: Date, ifNoneMatch: string | undefined) {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', changed.toUTCString());
    res.setHeader('Cache-Control', 'no-cache');
    if (ifNoneMatch === etag) return res.status(304).end();
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(body);
  }
  const formatOf = (value: string) => (value === 'csv' || value === 'json' ? value : undefined);

  router.get('/datos/:name.:format', async (req, res) => {
    const format = formatOf(req.params.format);
    const ifNoneMatch = req.headers['if-none-match'];
    const plan = engine.content.draftPlan;
    if (format && req.params.name === 'propuestas') {
      const proposals = await store.list();
      return file(res, format, openDataFile(proposals, format, licence), lastChange(proposals), ifNoneMatch);
    }
    if (format && plan && (req.params.name === 'borrador' || req.params.name === 'opiniones')) {
      const opinions = await store.opinions();
      const priorities = await store.priorities();
      const changed = new Date([...opinions.map((o) => o.at), ...priorities.map((p) => p.at)].reduce((a, b) => (b > a ? b : a), '1970-01-01T00:00:00.000Z'));
      const body =
        req.params.name === 'borrador'
          ? tableFile(tallyDraft(plan, opinions, priorities), ['id', 'title', 'agree', 'disagree', 'pass', 'total', 'comments', 'mostImportant'], format, licence, changed)
          : tableFile(publishedComments(opinions), ['commitment', 'vote', 'comment', 'at'], format, licence, changed);
      return file(res, format, body, changed, ifNoneMatch);
    }
    html(res, 404, notFoundPage(engine.content, engine.now()));
  });

  return router;
}
