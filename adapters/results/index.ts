/**
 * The public results (`/resultados`): read through the store's port, rendered in pages.ts.
 * Open to anyone, so only public views, and a bounded query string.
 */
import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { lastChange, openDataFile } from '../../src/export/open-data.js';
import type { Engine, Store } from '../../src/index.js';
import { dataPage, listPage, notFoundPage, proposalPage, readQuery, select } from './pages.js';

const TRACKING = /^[A-Z]{2}-\d{4}-\d{6}$/;

export function createResultsRouter(engine: Engine, store: Store, licence: string): Router {
  const router = Router();
  const html = (res: Response, status: number, body: string) => res.status(status).type('html').setHeader('Cache-Control', 'no-cache').send(body);

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

  router.get('/datos', (_req, res) => html(res, 200, dataPage(engine.content, licence, engine.now())));

  // Flat files at stable addresses; a client that has the current version gets 304.
  router.get('/datos/propuestas.:format', async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'json') return html(res, 404, notFoundPage(engine.content, engine.now()));
    const proposals = await store.list();
    const body = openDataFile(proposals, format, licence);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', lastChange(proposals).toUTCString());
    res.setHeader('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === etag) return res.status(304).end();
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(body);
  });

  return router;
}
