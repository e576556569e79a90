/** `cabildo tables …`: work tables and their sign-ups, for staff; contact exports are audited. */
import { stringify } from 'csv-stringify/sync';
import { loadContent } from '../content/load.js';
import { CabildoError } from '../errors.js';
import { readSettings } from './config.js';
import { openStore } from './open.js';

export async function listTables(): Promise<void> {
  const settings = readSettings();
  const tables = loadContent(settings.contentDir).workTables;
  const store = await openStore(settings);
  try {
    const rows = await Promise.all(tables.map(async (t) => {
      const all = await store.signUps(t.id);
      const confirmed = all.filter((x) => x.status === 'confirmed').length;
      return `${t.id.padEnd(4)}  ${t.date} ${t.time}  ${String(confirmed).padStart(3)}/${String(t.capacity).padEnd(3)}  ${String(all.length - confirmed).padStart(3)} waiting  ${t.theme}`;
    }));
    process.stdout.write(rows.length ? `${rows.join('\n')}\n` : 'No work tables (add data/work-tables.yaml).\n');
  } finally {
    await store.close();
  }
}

export async function exportSignUps(tableId: string, format: string): Promise<void> {
  if (format !== 'csv' && format !== 'json') throw new CabildoError('CONFIG_INVALID', `--format must be csv or json (got ${JSON.stringify(format)}).`);
  const settings = readSettings();
  const id = /^m?(\d{1,3})$/i.exec(tableId)?.[1];
  const table = id ? loadContent(settings.contentDir).workTables.find((t) => t.id === `M${Number(id)}`) : undefined;
  if (!table) throw new CabildoError('CONFIG_INVALID', `No work table ${JSON.stringify(tableId)} in data/work-tables.yaml.`);
  const store = await openStore(settings);
  try {
    // Contact data leaves the store: who did it goes on record first.
    await store.audit({ at: settings.clock().toISOString(), actor: `cli:${process.env.CABILDO_ACTOR ?? 'staff'}`, action: 'export_signups', detail: `${table.id} ${format}` });
    const rows = (await store.signUps(table.id)).map((x) => ({ code: x.code, status: x.status, name: x.name, email: x.email ?? '', phone: x.phone ?? '', signed_up: x.createdAt }));
    process.stdout.write(format === 'csv' ? stringify(rows, { header: true, columns: ['code', 'status', 'name', 'email', 'phone', 'signed_up'], escape_formulas: true }) : `${JSON.stringify(rows, null, 2)}\n`);
  } finally {
    await store.close();
  }
}
