/**
 * Reads and validates everything under `intents/` and `data/`, collecting every problem with
 * its file, field and value. Shared by engine start-up and `cabildo check`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseYaml, YAMLException } from './yaml.js';
import type { z } from 'zod';
import { ContentError, type ContentIssue } from '../errors.js';
import { INTENT_NAMES, type IntentName } from '../types.js';
import {
  consultationSchema,
  draftPlanSchema,
  workTablesSchema,
  intentFileSchema,
  knowledgeSchema,
  messagesSchema,
  proposalFormSchema,
  referralsSchema,
  territoriesSchema,
  communesSchema,
  type Consultation,
  type DraftPlan,
  type Fact,
  type FactAnswer,
  type IntentFile,
  type Messages,
  type ProposalForm,
  type Referrals,
  type Territories,
  type Communes,
  type WorkTable,
} from './schema.js';
import { placeholders } from '../answers/facts.js';
import { formatDate } from '../answers/timeline.js';
import { buildCatalog, CatalogError, type TerritoryCatalog } from '../territory/catalog.js';
import { normalizeContent } from '../nlu/normalize.js';

export interface Content {
  intents: Map<IntentName, IntentFile>;
  /** The facts of `data/knowledge.yaml`, plus `consultation.organizer`, `consultation.name` and `referral.*` from their files. */
  facts: Record<string, Fact>;
  /** Facts as answers, with the questions they answer (`data/knowledge.yaml`, `answers`). */
  answers: FactAnswer[];
  /** Where to send complaints and how to check the chat is official (`data/referrals.yaml`). */
  referrals: Referrals;
  consultation: Consultation;
  form: ProposalForm;
  messages: Messages;
  territories: Territories;
  /** Nacional, the regions and their communes (`data/territories.yaml`, `data/communes.yaml`), ready for matching. */
  places: TerritoryCatalog;
  /** The draft plan, once `data/draft-plan.yaml` exists. */
  draftPlan?: DraftPlan;
  /** Work tables open for sign-up (`data/work-tables.yaml`; none without the file). */
  workTables: WorkTable[];
  /** The organiser's logo (`logo` in consultation.yaml) as a path, for the web page to serve. */
  logoFile?: string;
}

/** Loads the content under `root` (the folder holding `intents/` and `data/`), or throws a {@link ContentError}. */
export function loadContent(root: string): Content {
  const issues: ContentIssue[] = [];
  const where = (file: string) => relative(root, file) || file;

  function readYaml<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (cause) {
      issues.push({ file: where(file), field: '(file)', message: `cannot be read: ${(cause as Error).message}` });
      return undefined;
    }
    let value: unknown;
    try {
      value = parseYaml(raw);
    } catch (cause) {
      // Some errors (a second document in the file) carry no position.
      const at = cause instanceof YAMLException && cause.mark ? ` at line ${cause.mark.line + 1}, column ${cause.mark.column + 1}` : '';
      issues.push({ file: where(file), field: '(yaml)', message: cause instanceof YAMLException ? cause.reason + at : String(cause) });
      return undefined;
    }
    if (value === undefined) {
      issues.push({ file: where(file), field: '(file)', message: 'is empty' });
      return undefined;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? issue.path.join('.') : '(root)';
        issues.push({ file: where(file), field, message: withValue(issue.message, value, issue.path) });
      }
      return undefined;
    }
    return result.data;
  }

  const intentsDir = join(root, 'intents');
  const intents = new Map<IntentName, IntentFile>();
  let intentFiles: string[] = [];
  try {
    intentFiles = readdirSync(intentsDir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  } catch {
    issues.push({ file: 'intents/', field: '(folder)', message: 'folder is missing' });
  }
  for (const name of intentFiles.sort()) {
    const file = join(intentsDir, name);
    const parsed = readYaml(file, intentFileSchema);
    if (!parsed) continue;
    const expected = basename(name).replace(/\.ya?ml$/, '');
    if (parsed.intent !== expected) {
      issues.push({ file: where(file), field: 'intent', message: `is "${parsed.intent}" but the file name says "${expected}"` });
      continue;
    }
    intents.set(parsed.intent, parsed);
  }
  for (const name of INTENT_NAMES) {
    if (!intents.has(name) && !intentFiles.some((f) => f.startsWith(`${name}.`))) {
      issues.push({ file: `intents/${name}.yaml`, field: '(file)', message: 'is missing: every intent needs its file' });
    }
  }

  const knowledge = readYaml(join(root, 'data', 'knowledge.yaml'), knowledgeSchema);
  const consultation = readYaml(join(root, 'data', 'consultation.yaml'), consultationSchema);
  const form = readYaml(join(root, 'data', 'proposal-form.yaml'), proposalFormSchema);
  const messages = readYaml(join(root, 'data', 'messages.yaml'), messagesSchema);
  const territories = readYaml(join(root, 'data', 'territories.yaml'), territoriesSchema);
  const communes = readYaml(join(root, 'data', 'communes.yaml'), communesSchema);
  const places = territories && communes ? territoryCatalog(territories, communes, issues) : undefined;
  const referrals = readYaml(join(root, 'data', 'referrals.yaml'), referralsSchema);
  // Optional: a consultation has no draft until the work tables produce one.
  const draftFile = join(root, 'data', 'draft-plan.yaml');
  const draftPlan = existsSync(draftFile) ? readYaml(draftFile, draftPlanSchema) : undefined;
  const tablesFile = join(root, 'data', 'work-tables.yaml');
  const workTables = existsSync(tablesFile) ? (readYaml(tablesFile, workTablesSchema)?.tables ?? []) : [];
  const logoFile = consultation?.logo ? join(root, 'data', consultation.logo) : undefined;
  if (logoFile && !existsSync(logoFile)) issues.push({ file: 'data/consultation.yaml', field: 'logo', message: `names ${consultation!.logo}, which is not in data/` });

  const facts = knowledge ? { ...knowledge.facts, ...installationFacts(consultation, referrals) } : {};
  if (knowledge) checkFacts(intents, facts, knowledge.answers, issues);
  checkExampleOverlap(intents, knowledge?.answers ?? [], issues);

  if (issues.length || !knowledge || !consultation || !form || !messages || !territories || !referrals || !places) {
    throw new ContentError(issues);
  }
  return { intents, facts, answers: knowledge.answers, referrals, consultation, form, messages, territories, places, workTables, ...(draftPlan ? { draftPlan } : {}), ...(logoFile ? { logoFile } : {}) };
}

/** Who runs this consultation and where to send the rest, citable in any answer like a fact. */
function installationFacts(consultation: Consultation | undefined, referrals: Referrals | undefined): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  if (consultation) {
    facts['consultation.organizer'] = { value: consultation.organizer, source: 'consultation.yaml' };
    facts['consultation.name'] = { value: consultation.name, source: 'consultation.yaml' };
    facts['consultation.territory'] = { value: consultation.territory, source: 'consultation.yaml' };
    // `{{stage.reception.end}}`: "30 de noviembre de 2027".
    for (const stage of consultation.stages) {
      facts[`stage.${stage.id}.name`] = { value: stage.name, source: 'consultation.yaml' };
      facts[`stage.${stage.id}.start`] = { value: formatDate(stage.start), source: 'consultation.yaml' };
      facts[`stage.${stage.id}.end`] = { value: formatDate(stage.end), source: 'consultation.yaml' };
    }
  }
  if (referrals) {
    for (const [key, value] of Object.entries(referrals)) facts[`referral.${key}`] = { value, source: 'referrals.yaml' };
  }
  return facts;
}

function checkFacts(intents: Map<IntentName, IntentFile>, facts: Record<string, Fact>, answers: FactAnswer[], issues: ContentIssue[]): void {
  for (const [name, file] of intents) {
    if (!file.answer) continue;
    for (const field of ['text', 'more'] as const) {
      for (const { id } of placeholders(file.answer[field] ?? '')) {
        if (!facts[id]) issues.push({ file: `intents/${name}.yaml`, field: `answer.${field}`, message: `unknown fact "{{${id}}}" (not in data/knowledge.yaml)` });
      }
    }
  }
  const ids = new Set<string>();
  answers.forEach((a, i) => {
    if (ids.has(a.id)) issues.push({ file: 'data/knowledge.yaml', field: `answers.${i}.id`, message: `"${a.id}" is used twice` });
    ids.add(a.id);
    for (const { id } of placeholders(a.answer)) {
      if (!facts[id]) issues.push({ file: 'data/knowledge.yaml', field: `answers.${i}.answer`, message: `unknown fact "{{${id}}}"` });
    }
  });
}

/**
 * The same example under two intents teaches the classifier a contradiction. Examples are compared
 * as the classifier reads them: "q es ogp" and "Qué es OGP?" are one example.
 */
function checkExampleOverlap(intents: Map<IntentName, IntentFile>, answers: FactAnswer[], issues: ContentIssue[]): void {
  const seen = new Map<string, IntentName>();
  for (const [name, file] of intents) {
    file.examples.forEach((example, i) => {
      const k = normalizeContent(example);
      const other = seen.get(k);
      if (other && other !== name) {
        issues.push({ file: `intents/${name}.yaml`, field: `examples.${i}`, message: `"${example}" is also an example of ${other}` });
      }
      seen.set(k, name);
    });
  }
  answers.forEach((a, i) => {
    a.questions.forEach((q, j) => {
      const k = normalizeContent(q);
      const other = seen.get(k);
      if (other && other !== a.intent) {
        issues.push({ file: 'data/knowledge.yaml', field: `answers.${i}.questions.${j}`, message: `"${q}" is also an example of ${other}` });
      }
      seen.set(k, a.intent);
    });
  });
}

function withValue(message: string, root: unknown, path: PropertyKey[]): string {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return message;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined || typeof value === 'object') return message;
  const shown = JSON.stringify(value);
  return `${message} (value: ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}

function territoryCatalog(territories: Territories, communes: Communes, issues: ContentIssue[]): TerritoryCatalog | undefined {
  try {
    return buildCatalog(territories, communes);
  } catch (cause) {
    if (!(cause instanceof CatalogError)) throw cause;
    const [file, message] = cause.message.split(/: (.*)/s);
    issues.push({ file: `data/${file}`, field: '(places)', message: message ?? cause.message });
    return undefined;
  }
}
