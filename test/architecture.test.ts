import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/conversation.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the core', () => {
  it('imports no channel platform library', () => {
    const platform = /from ['"](botbuilder|botframework-[\w-]+|@slack\/[\w-]+|whatsapp-web\.js|express|fastify|playwright-core)['"]/;
    const offenders = sources(join(ROOT, 'src')).filter((f) => platform.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps botbuilder inside adapters/webchat, so a move to another SDK touches one folder', () => {
    const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'adapters'))].filter((f) => !f.includes(join('adapters', 'webchat')));
    const offenders = files.filter((f) => /from ['"]botbuilder/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('never imports the root of `natural`, which loads ./.env and database clients', () => {
    const offenders = sources(join(ROOT, 'src')).filter((f) => /from ['"]natural['"]|require\(['"]natural['"]\)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
