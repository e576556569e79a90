/**
 * Rendered results pages and open-data files, kept until the store's results revision changes
 * (a proposal, an opinion, a response, a moderation) or the local day turns (the pages show the
 * consultation's current stage). With 10,000 proposals a page or a file takes tens of
 * milliseconds to build and blocks the event loop the chat shares; built once per change, a
 * request costs one revision read.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as zlibGzip } from 'node:zlib';
import type { Store } from '../../src/index.js';

export interface Rendered {
  status: number;
  type: string;
  body: Buffer;
  /** Files only: validators for conditional requests, and the body compressed once (megabytes otherwise, on every download). */
  etag?: string;
  lastModified?: Date;
  gzip?: Buffer;
}

export class ResultsCache {
  private revision: string | undefined;
  /** In use order, oldest first; promises, so concurrent misses on one key build it once. */
  private readonly entries = new Map<string, Promise<Rendered>>();

  constructor(
    private readonly store: Store,
    /** Bounds memory: a caller varying the query string cannot grow it past this many entries. */
    private readonly maxEntries = 300,
  ) {}

  async get(key: string, day: string, build: () => Promise<Rendered>): Promise<Rendered> {
    const revision = `${await this.store.resultsRevision()}|${day}`;
    if (revision !== this.revision) {
      this.entries.clear();
      this.revision = revision;
    }
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const built = build();
    this.entries.set(key, built);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    built.catch(() => this.entries.get(key) === built && this.entries.delete(key));
    return built;
  }
}

const gzip = promisify(zlibGzip);

/** A published file, ready to send: its bytes, a strong validator, and its gzip form (compressed off the event loop). */
export async function fileRendering(type: string, text: string, lastModified: Date): Promise<Rendered> {
  const body = Buffer.from(text);
  return { status: 200, type, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, lastModified, gzip: await gzip(body) };
}
