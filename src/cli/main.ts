#!/usr/bin/env node
/**
 * The `cabildo` command line: `chat`, `classify`, `proposals …`, `check`.
 * Run as `npm run -s cabildo -- <command>`.
 */
import { Command } from 'commander';
import { CabildoError, ContentError } from '../errors.js';
import { chat } from './chat.js';
import { check } from './check.js';
import { classify } from './classify.js';
import { draftResults, respondToConsultation } from './draft.js';
import { exportSignUps, listTables } from './tables.js';
import { migrateStore } from './store.js';
import { exportProposals, listProposals, setProposalHidden, setProposalStatus, showProposal } from './proposals.js';

const program = new Command('cabildo').description('Cabildo: open-government Q&A and proposal intake').showHelpAfterError();

program
  .command('chat')
  .description('talk to Cabildo in the terminal')
  .option('--json', 'read one message per line from stdin, print one JSON line per message')
  .option('--user <id>', 'channel user id', 'terminal')
  .option('--channel <name>', 'channel name', 'cli')
  .action((o: { json?: boolean; user: string; channel: string }) => chat(o));

program
  .command('classify')
  .description('print the intent of each stdin line as JSON')
  .action(() => classify());

const proposals = program.command('proposals').description('staff tools on the proposals store');
proposals
  .command('list')
  .description('list proposals, newest first')
  .option('--status <status>', 'only this status')
  .option('--territory <text>', 'only this territory: a region includes its communes ("metropolitana", "8"), else territories containing this text')
  .action((o: { status?: string; territory?: string }) => listProposals(o));
proposals.command('show <id>').description('show one proposal').action((id: string) => showProposal(id));
proposals
  .command('status <id> <status>')
  .description('change a status (recibida, en_revision, seleccionada, no_seleccionada, retirada)')
  .option('--answer <text>', 'the reasoned answer the citizen will see')
  .action((id: string, status: string, o: { answer?: string }) => setProposalStatus(id, status, o.answer));
proposals
  .command('hide <id>')
  .description('hide a proposal (GA-…) or a draft comment (C3:12) from the public results and files (moderation), with the reason shown in its place')
  .requiredOption('--reason <text>', 'why; shown publicly and sent to the author')
  .action((id: string, o: { reason: string }) => setProposalHidden(id, o.reason));
proposals.command('unhide <id>').description('show a hidden proposal or comment in the public results again').action((id: string) => setProposalHidden(id, undefined));
proposals
  .command('export')
  .description('export every proposal')
  .option('--format <format>', 'csv or json', 'csv')
  .option('--open-data', 'drop personal fields and mask emails, phones and RUTs in the text')
  .action((o: { format: string; openData?: boolean }) => exportProposals(o.format, o.openData === true));

const draft = program.command('draft').description('staff tools on the draft consultation');
draft
  .command('results')
  .description('votes, comments and "most important" per commitment, ranked')
  .option('--format <format>', 'text, csv or json', 'text')
  .action((o: { format: string }) => draftResults(o.format));

const tables = program.command('tables').description('staff tools on the work tables');
tables.command('list').description('tables with places taken, capacity and waitlist').action(() => listTables());
tables
  .command('export <table>')
  .description("a table's sign-ups with contact details (recorded in the audit trail)")
  .option('--format <format>', 'csv or json', 'csv')
  .action((table: string, o: { format: string }) => exportSignUps(table, o.format));

const storeCommand = program.command('store').description('the store itself');
storeCommand
  .command('migrate')
  .description('copy the JSON store (CABILDO_DB, or the default file) into PostgreSQL; running it again changes nothing')
  .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user@host:5432/db')
  .action((o: { to: string }) => migrateStore(o.to));

draft
  .command('respond <commitment>')
  .description('publish the staff response to the consultation on a commitment (replaces an earlier one)')
  .requiredOption('--text <text>', 'the response')
  .action((commitment: string, o: { text: string }) => respondToConsultation(commitment, o.text));

program
  .command('check')
  .description('validate intents/ and data/')
  .action(() => check());

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ContentError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof CabildoError) {
    process.stderr.write(`cabildo: ${error.message}\n`);
  } else {
    process.stderr.write(`cabildo: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exitCode = 1;
});
