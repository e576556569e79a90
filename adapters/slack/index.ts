/**
 * Slack for municipal staff, with `@slack/bolt`: direct messages and mentions reach the engine
 * as the `slack` channel and are answered in their thread; option buttons come back as text;
 * `/cabildo` gives staff the review queue; new proposals are announced in the staff channel.
 * HTTP mode mounts on the shared server (`/slack/events`); Socket Mode needs no public URL.
 */
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import express, { type Router } from 'express';
import { exportable, exportRecord, toCsv } from '../../src/export/open-data.js';
import { commentRef, type Engine, type Logger, type Proposal, type Store } from '../../src/index.js';
import { findTrackingNumber } from '../../src/nlu/rules.js';
import { slackGuard } from './guard.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { OPTION_ACTION, renderSlack } from './render.js';
import { StaffDirectory } from './staff.js';
import {
  HELP,
  PAGE_ACTION,
  STATUS_ACTION,
  HIDE_ACTION,
  HIDE_VIEW,
  hideModal,
  draftText,
  listBlocks,
  opinionsText,
  parseCommand,
  proposalBlocks,
  signUpsText,
  summaryText,
  tablesText,
  type StaffCommand,
} from './staff-commands.js';

export const SLACK_CHANNEL = 'slack';
const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode. */
  signingSecret?: string;
  /** Socket Mode, for installations without a public URL. */
  appToken?: string;
  /** Another Web API host, for tests. */
  apiUrl?: string;
  /** User group (`S…`) or channel (`C…`) whose members are staff. */
  staff: string;
  /** Channel where new proposals are announced. */
  staffChannel?: string;
}

export interface SlackAdapter {
  /** The Events API endpoint (`/slack/events`) in HTTP mode. */
  router?: Router;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createSlackAdapter(engine: Engine, store: Store, settings: SlackSettings, logger: Logger, now: () => Date = () => new Date()): SlackAdapter {
  const clientOptions = settings.apiUrl ? { slackApiUrl: `${settings.apiUrl.replace(/\/$/, '')}/` } : {};
  let receiver: Receiver;
  let router: Router | undefined;
  if (settings.appToken) {
    // Both client options: the receiver's own client opens the socket, the app's posts messages.
    receiver = new SocketModeReceiver({ appToken: settings.appToken, installerOptions: { clientOptions }, clientOptions } as ConstructorParameters<typeof SocketModeReceiver>[0]);
  } else {
    // The guard is registered first on the route, so it runs before Bolt's handlers.
    const routes = express.Router();
    routes.post(SLACK_EVENTS_PATH, slackGuard(settings.signingSecret!));
    const http = new ExpressReceiver({ signingSecret: settings.signingSecret!, endpoints: SLACK_EVENTS_PATH, processBeforeResponse: false, router: routes as unknown as ConstructorParameters<typeof ExpressReceiver>[0]['router'] });
    receiver = http;
    router = http.router as unknown as Router;
  }
  const app = new App({ token: settings.botToken, receiver, clientOptions, logLevel: LogLevel.ERROR });
  const staff = new StaffDirectory(app.client, settings.staff);
  // Slack retries when it did not hear back in time; the first delivery is the one handled,
  // by whichever instance sharing the store received it.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await engine.firstDelivery(SLACK_CHANNEL, eventId))) return;
    await next();
  });

  async function converse(userId: string, text: string, channel: string, threadTs: string): Promise<void> {
    const { replies } = await engine.handle({ channel: SLACK_CHANNEL, userId, text });
    for (const reply of replies) await app.client.chat.postMessage({ channel, thread_ts: threadTs, ...renderSlack(reply) });
  }

  app.event('message', async ({ event }) => {
    // Edits, deletions, bot messages (its own included) and joins carry a subtype or a bot id.
    if (event.subtype !== undefined || 'bot_id' in event || event.channel_type !== 'im') return;
    await converse(event.user, event.text ?? '', event.channel, event.thread_ts ?? event.ts);
  });

  app.event('app_mention', async ({ event, context }) => {
    if (event.bot_id) return;
    const text = (event.text ?? '').replace(new RegExp(`<@${context.botUserId}>`, 'g'), '').trim();
    await converse(event.user ?? '', text, event.channel, event.thread_ts ?? event.ts);
  });

  app.action(new RegExp(`^${OPTION_ACTION}_`), async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !body.channel || !body.message) return;
    await converse(body.user.id, action.value ?? '', body.channel.id, (body.message.thread_ts as string | undefined) ?? body.message.ts);
  });

  async function refuse(respond: (m: { response_type: 'ephemeral'; text: string }) => Promise<unknown>): Promise<void> {
    await respond({ response_type: 'ephemeral', text: 'Estas herramientas son solo para el equipo que revisa las propuestas. Si deberías tener acceso, pide que te agreguen al grupo del equipo.' });
  }

  async function runStaffCommand(command: StaffCommand, userId: string, channelId: string): Promise<{ text: string; blocks?: Awaited<ReturnType<typeof listBlocks>> }> {
    const actor = `slack:${userId}`;
    const at = now().toISOString();
    switch (command.kind) {
      case 'list':
        await store.audit({ at, actor, action: 'list' });
        return { text: 'Propuestas', blocks: await listBlocks(store, command, engine.content.places) };
      case 'show': {
        const p = await store.get(command.id);
        if (!p) return { text: `No existe la propuesta ${command.id}.` };
        await store.audit({ at, actor, action: 'show', proposalId: p.id });
        return { text: p.id, blocks: proposalBlocks(p, true) };
      }
      case 'status': {
        const outcome = await store.setStatus(command.id, { status: command.status, ...(command.answer ? { answer: command.answer } : {}), actor }, now());
        if (outcome.kind === 'not_found') return { text: `No existe la propuesta ${command.id}.` };
        if (outcome.kind === 'withdrawn') return { text: `${command.id} fue retirada por quien la envió: su estado ya no se puede cambiar.` };
        const p = outcome.proposal;
        return { text: `${p.id} quedó *${p.status}*.${p.userKey ? ' La persona lo verá en su próximo mensaje (o al tiro, en WhatsApp).' : ''}` };
      }
      case 'summary':
        await store.audit({ at, actor, action: 'summary' });
        return { text: await summaryText(store) };
      case 'export': {
        const csv = toCsv(exportable(await store.list()).map((p) => exportRecord(p, true)), true);
        await store.audit({ at, actor, action: 'export_open_data' });
        await app.client.files.uploadV2({ channel_id: channelId, content: csv, filename: `propuestas-${at.slice(0, 10)}.csv`, title: 'Propuestas (datos abiertos)' });
        return { text: 'Subí el CSV de datos abiertos a esta conversación.' };
      }
      case 'draft':
      case 'opinions': {
        const plan = engine.content.draftPlan;
        if (!plan) return { text: 'Todavía no hay borrador: agrega data/draft-plan.yaml.' };
        await store.audit({ at, actor, action: command.kind === 'draft' ? 'draft_results' : 'draft_opinions', ...(command.kind === 'opinions' ? { detail: command.commitment } : {}) });
        return { text: command.kind === 'draft' ? await draftText(plan, store) : await opinionsText(plan, store, command) };
      }
      case 'hide': {
        if ('comment' in command) {
          const ref = commentRef(command.comment);
          if ((await store.setCommentHidden(command.comment, command.reason, actor, now())) === 'not_found') return { text: `No existe el comentario ${ref}: mira las referencias con \`/cabildo opiniones ${command.comment.commitmentId}\`.` };
          return { text: command.reason !== undefined ? `El comentario ${ref} quedó oculto en los resultados públicos. Motivo: ${escapeMrkdwn(command.reason)}` : `El comentario ${ref} vuelve a mostrarse en los resultados públicos.` };
        }
        const outcome = await store.setHidden(command.id, command.reason, actor, now());
        if (outcome === 'not_found') return { text: `No existe la propuesta ${command.id}.` };
        return { text: command.reason !== undefined ? `${command.id} quedó oculta en los resultados públicos. Motivo: ${escapeMrkdwn(command.reason)}` : `${command.id} vuelve a mostrarse en los resultados públicos.` };
      }
      case 'respond': {
        if (!engine.content.draftPlan?.commitments.some((k) => k.id === command.commitment)) return { text: `No existe el compromiso ${command.commitment} en el borrador.` };
        await store.respondToConsultation(command.commitment, command.text, actor, now());
        return { text: `Publiqué la respuesta a la consulta sobre ${command.commitment}.` };
      }
      case 'tables':
        await store.audit({ at, actor, action: 'tables' });
        return { text: await tablesText(engine.content.workTables, store) };
      case 'signups':
        await store.audit({ at, actor, action: 'signups', detail: command.table });
        return { text: await signUpsText(engine.content.workTables, store, command.table) };
      case 'help':
        return { text: command.problem ? `${command.problem}\n\n${HELP}` : HELP };
    }
  }

  app.command('/cabildo', async ({ ack, command, respond }) => {
    await ack();
    if (!(await staff.isStaff(command.user_id))) return refuse(respond);
    const result = await runStaffCommand(parseCommand(command.text), command.user_id, command.channel_id);
    await respond({ response_type: 'ephemeral', text: result.text, ...(result.blocks ? { blocks: result.blocks } : {}) });
  });

  app.action(new RegExp(`^${PAGE_ACTION}_`), async ({ ack, body, action, respond }) => {
    await ack();
    if (action.type !== 'button' || !(await staff.isStaff(body.user.id))) return refuse(respond);
    const command = JSON.parse(action.value ?? '{}') as Extract<StaffCommand, { kind: 'list' }>;
    await respond({ response_type: 'ephemeral', replace_original: true, text: 'Propuestas', blocks: await listBlocks(store, { ...command, kind: 'list' }, engine.content.places) });
  });

  app.action(new RegExp(`^${STATUS_ACTION}_`), async ({ ack, body, action, respond }) => {
    await ack();
    if (action.type !== 'button' || !(await staff.isStaff(body.user.id))) return refuse(respond);
    const [id = '', status = ''] = (action.value ?? '').split('|');
    const command = parseCommand(`estado ${id} ${status}`);
    const result = await runStaffCommand(command, body.user.id, body.channel?.id ?? '');
    await respond({ response_type: 'ephemeral', replace_original: false, text: result.text });
  });

  // Moderation from the proposal card: hidden → show again at once; shown → a modal asks why.
  app.action(HIDE_ACTION, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (action.type !== 'button' || !(await staff.isStaff(body.user.id))) return refuse(respond);
    const id = findTrackingNumber(action.value ?? '');
    const proposal = id ? await store.get(id) : undefined;
    if (!proposal || proposal.hidden) {
      // Already hidden: the button shows it again, no reason needed.
      const text = proposal ? (await runStaffCommand({ kind: 'hide', id: proposal.id }, body.user.id, body.channel?.id ?? '')).text : `No existe la propuesta ${escapeMrkdwn(action.value ?? '')}.`;
      await respond({ response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: hideModal(proposal.id) });
  });

  app.view(HIDE_VIEW, async ({ ack, body, view, client }) => {
    if (!(await staff.isStaff(body.user.id))) return ack({ response_action: 'errors', errors: { reason: 'Solo el equipo puede ocultar propuestas.' } });
    const reason = view.state.values.reason?.reason?.value?.trim() ?? '';
    if (!reason) return ack({ response_action: 'errors', errors: { reason: 'Escribe el motivo: se muestra en lugar de la propuesta.' } });
    await ack();
    const result = await runStaffCommand({ kind: 'hide', id: view.private_metadata, reason }, body.user.id, '');
    await client.chat.postMessage({ channel: body.user.id, text: result.text });
  });

  app.error(async (error) => {
    logger.error({ channel: SLACK_CHANNEL, code: (error as { code?: string }).code, err: error.message }, 'slack handler failed');
  });

  const unsubscribe = settings.staffChannel
    ? engine.onProposalSubmitted((p: Proposal) => {
        app.client.chat
          .postMessage({ channel: settings.staffChannel!, text: `Nueva propuesta ${p.id}: ${escapeMrkdwn(p.title)}`, blocks: proposalBlocks(p, true) })
          .catch((error: unknown) => logger.error({ channel: SLACK_CHANNEL, err: String(error) }, 'announcement failed'));
      })
    : () => {};

  return {
    ...(router ? { router } : {}),
    async start() {
      if (settings.appToken) await app.start();
    },
    async close() {
      unsubscribe();
      if (settings.appToken) await app.stop();
    },
  };
}
