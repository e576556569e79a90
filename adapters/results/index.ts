/**
 * The public results (`/resultados`): read through the store's port, rendered in pages.ts.
 * Open to anyone, so only public views, and a bounded query string.
 */
import { Router } from 'express';
import type { Engine, Store } from '../../src/index.js';
import { listPage, notFoundPage, proposalPage, readQuery, select } from './pages.js';

const TRACKING = /^[A-Z]{2}-\d{4}-\d{6}$/;

export function createResultsRouter(engine: Engine, store: Store): Router {
  const router = Router();
  const html = (res: import('express').Response, status: number, body: string) => res.status(status).type('html').setHeader('Cache-Control', 'no-cache').send(body);

  router.get('/resultados', async (req, res) => {
    const query = readQuery(req.query as Record<string, unknown>);
    const all = await store.list({ ...(query.status ? { status: query.status } : {}), ...(query.territory ? { territory: query.territory } : {}) });
    const everyone = query.status || query.territory ? await store.list() : all;
    html(res, 200, listPage(engine.content, everyone, select(all, query), query, engine.now()));
  });

  router.get('/resultados/:id', async (req, res) => {
    const id = req.params.id.toUpperCase();
    const proposal = TRACKING.test(id) ? await store.get(id) : undefined;
    // A withdrawn proposal is not published: to the public it does not exist.
    if (!proposal || proposal.status === 'retirada') return html(res, 404, notFoundPage(engine.content, engine.now()));
    html(res, 200, proposalPage(engine.content, proposal, engine.now()));
  });

  return router;
}
