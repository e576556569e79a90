/**
 * Reads and validates everything under `intents/` and `data/`, collecting every problem with
 * its file, field and value. Shared by engine start-up and `cabildo check`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
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
  territoriesSchema,
  type Consultation,
  type DraftPlan,
  type Fact,
  type IntentFile,
  type Messages,
  type ProposalForm,
  type Territories,
  type WorkTable,
} from './schema.js';
import { placeholders } from '../answers/facts.js';

export interface Content {
  intents: Map<IntentName, IntentFile>;
  facts: Record<string, Fact>;
  consultation: Consultation;
  form: ProposalForm;
  messages: Messages;
  territories: Territories;
  /** The draft plan, once `data/draft-plan.yaml` exists. */
  draftPlan?: DraftPlan;
  /** Work tables open for sign-up (`data/work-tables.yaml`; none without the file). */
  workTables: WorkTable[];
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
      // `uniqueKeys` (on by default) makes a duplicated key an error instead of a silent overwrite.
      value = parse(raw, { uniqueKeys: true, prettyErrors: true });
    } catch (cause) {
      const message = cause instanceof YAMLParseError ? cause.message.split('\n')[0]! : String(cause);
      issues.push({ file: where(file), field: '(yaml)', message });
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
  // Optional: a consultation has no draft until the work tables produce one.
  const draftFile = join(root, 'data', 'draft-plan.yaml');
  const draftPlan = existsSync(draftFile) ? readYaml(draftFile, draftPlanSchema) : undefined;
  const tablesFile = join(root, 'data', 'work-tables.yaml');
  const workTables = existsSync(tablesFile) ? (readYaml(tablesFile, workTablesSchema)?.tables ?? []) : [];

  if (knowledge) checkFacts(intents, knowledge.facts, issues);
  checkExampleOverlap(intents, issues);

  if (issues.length || !knowledge || !consultation || !form || !messages || !territories) {
    throw new ContentError(issues);
  }
  return { intents, facts: knowledge.facts, consultation, form, messages, territories, workTables, ...(draftPlan ? { draftPlan } : {}) };
}

function checkFacts(intents: Map<IntentName, IntentFile>, facts: Record<string, Fact>, issues: ContentIssue[]): void {
  for (const [name, file] of intents) {
    if (!file.answer) continue;
    for (const { id } of placeholders(file.answer.text)) {
      if (!facts[id]) issues.push({ file: `intents/${name}.yaml`, field: 'answer.text', message: `unknown fact "{{${id}}}" (not in data/knowledge.yaml)` });
    }
  }
}

/** The same example under two intents teaches the classifier a contradiction. */
function checkExampleOverlap(intents: Map<IntentName, IntentFile>, issues: ContentIssue[]): void {
  const seen = new Map<string, IntentName>();
  for (const [name, file] of intents) {
    file.examples.forEach((example, i) => {
      const key = example.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      const other = seen.get(key);
      if (other && other !== name) {
        issues.push({ file: `intents/${name}.yaml`, field: `examples.${i}`, message: `"${example}" is also an example of ${other}` });
      }
      seen.set(key, name);
    });
  }
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
