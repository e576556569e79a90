/**
 * The public results (`/resultados`): read through the store's port, rendered in pages.ts.
 * Open to anyone, so only public views, and a bounded query string.
 */
import { Router, type Request, type Response } from 'express';
import { localDate } from '../../src/answers/timeline.js';
import { DRAFT_FIELDS, lastChange, OPINION_FIELDS, openDataFile, tableFile } from '../../src/export/open-data.js';
import { tallyDraft } from '../../src/staff/draft-tally.js';
import { draftPage, publishedComments } from './draft-page.js';
import type { Engine, Store } from '../../src/index.js';
import { fileRendering, ResultsCache, type Rendered } from './cache.js';
import { dataPage, listPage, notFoundPage, proposalPage, readQuery, select } from './pages.js';

const TRACKING = /^[A-Z]{2}-\d{4}-\d{6}$/;

export function createResultsRouter(engine: Engine, store: Store, licence: string): Router {
  const router = Router();
  const cache = new ResultsCache(store);
  const today = () => localDate(engine.now(), engine.content.consultation.timezone);
  const page = (status: number, body: string): Rendered => ({ status, type: 'html', body: Buffer.from(body) });

  /** Sends what the cache holds for `key`, building it on a miss; files answer conditional requests. */
  async function send(req: Request, res: Response, key: string, build: () => Promise<Rendered>) {
    const r = await cache.get(key, today(), build);
    res.status(r.status).type(r.type).setHeader('Cache-Control', 'no-cache');
    if (r.etag) {
      res.setHeader('ETag', r.etag);
      res.setHeader('Last-Modified', r.lastModified!.toUTCString());
      res.setHeader('Vary', 'Accept-Encoding');
      if (req.headers['if-none-match'] === r.etag) return res.status(304).end();
    }
    if (r.gzip && req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      return res.send(r.gzip);
    }
    res.send(r.body);
  }

  const notFound = () => page(404, notFoundPage(engine.content, engine.now()));

  router.get('/resultados', async (req, res) => {
    const query = readQuery(req.query as Record<string, unknown>);
    // Keyed by the query as understood, so junk parameters share the entry of the page they show.
    await send(req, res, `list ${JSON.stringify(query)}`, async () => {
      // One read: the counts need every proposal, and the filters run on the same list.
      const all = await store.list();
      return page(200, listPage(engine.content, all, select(all, query, engine.content.places), query, engine.now()));
    });
  });

  router.get('/resultados/borrador', async (req, res) => {
    const plan = engine.content.draftPlan;
    const n = Number(req.query.pagina ?? 1);
    const number = Number.isInteger(n) ? Math.min(Math.max(n, 1), 100_000) : 1;
    await send(req, res, `draft ${number}`, async () =>
      plan
        ? page(200, draftPage(engine.content, plan, await store.opinions(), await store.priorities(), await store.consultationResponses(), number, engine.now()))
        : notFound(),
    );
  });

  router.get('/resultados/:id', async (req, res) => {
    const id = req.params.id.toUpperCase();
    if (!TRACKING.test(id)) return send(req, res, 'not found', async () => notFound());
    await send(req, res, `proposal ${id}`, async () => {
      const proposal = await store.get(id);
      // A withdrawn proposal is not published: to the public it does not exist.
      return !proposal || proposal.status === 'retirada' ? notFound() : page(200, proposalPage(engine.content, proposal, engine.now()));
    });
  });

  router.get('/datos', (req, res) => send(req, res, 'data', async () => page(200, dataPage(engine.content, licence, engine.now()))));

  /** A flat file at a stable address, dated by its data's last change. */
  const file = (format: 'csv' | 'json', body: string, lastModified: Date) =>
    fileRendering(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', body, lastModified);
  const formatOf = (value: string) => (value === 'csv' || value === 'json' ? value : undefined);

  router.get('/datos/:name.:format', async (req, res) => {
    const format = formatOf(req.params.format);
    const name = req.params.name;
    const plan = engine.content.draftPlan;
    if (format && name === 'propuestas') {
      return send(req, res, `file propuestas.${format}`, async () => {
        const proposals = await store.list();
        return file(format, openDataFile(proposals, format, licence), lastChange(proposals));
      });
    }
    if (format && plan && (name === 'borrador' || name === 'opiniones')) {
      return send(req, res, `file ${name}.${format}`, async () => {
        const opinions = await store.opinions();
        const priorities = await store.priorities();
        const changed = new Date([...opinions.flatMap((o) => [o.at, o.hidden?.at ?? o.at]), ...priorities.map((p) => p.at)].reduce((a, b) => (b > a ? b : a), '1970-01-01T00:00:00.000Z'));
        const body =
          name === 'borrador'
            ? tableFile(tallyDraft(plan, opinions, priorities), DRAFT_FIELDS, format, licence, changed)
            : tableFile(publishedComments(opinions), OPINION_FIELDS, format, licence, changed);
        return file(format, body, changed);
      });
    }
    await send(req, res, 'not found', async () => notFound());
  });

  return router;
}
