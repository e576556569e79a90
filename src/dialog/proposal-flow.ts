/**
 * The proposal form as a flow: the form's logic is in proposal.ts (pure); this module opens it
 * only during reception and files the proposal when the person confirms.
 */
import { CabildoError } from '../errors.js';
import { say, submittedReply } from '../answers/render.js';
import { formatDate, localDate, receptionState } from '../answers/timeline.js';
import type { Flow, FlowContext, Step } from './flow.js';
import { cancelProposal, continueProposal, FREE_TEXT_STEPS, pending, startProposal, type FormOutcome, type ProposalState } from './proposal.js';
import { fieldHelp, welcomeBack } from './proposal-help.js';

export const proposalFlow: Flow<ProposalState> = {
  name: 'proposal',
  version: 1,

  async start({ content: c, now }) {
    const reception = receptionState(c.consultation, now);
    if (reception.state === 'not_open') return { kind: 'done', replies: [{ text: say(c, 'reception_not_open', { start: formatDate(reception.stage.start) }) }] };
    if (reception.state === 'closed') {
      return { kind: 'done', replies: [{ text: say(c, 'reception_closed', { end: formatDate(reception.stage.end) }), options: [c.messages.options.my_proposals] }] };
    }
    return { kind: 'continue', ...startProposal(c, now) };
  },

  async next(ctx, state, text) {
    return settle(ctx, continueProposal(ctx.content, state, text, ctx.isQuestion(text), ctx.now));
  },

  reask: pending,

  cancelled: (c) => ({ text: c.messages.messages.cancelled, options: [c.messages.options.start] }),

  expectsFreeText: (state) => FREE_TEXT_STEPS.has(state.step),

  welcomeBack,

  fieldHelp,

  cancel: (ctx, state) => {
    const outcome = cancelProposal(ctx.content, state, ctx.now);
    return outcome.kind === 'cancelled' ? { kind: 'done', replies: [proposalFlow.cancelled(ctx.content)] } : (outcome as Step<ProposalState>);
  },

  alreadyHere: (c) => say(c, 'already_proposing'),
};

/** A form outcome as a flow step: filing the proposal when confirmed. */
function settle(ctx: FlowContext, outcome: FormOutcome): Step<ProposalState> | Promise<Step<ProposalState>> {
  switch (outcome.kind) {
    case 'submit':
      return submit(ctx, outcome);
    case 'cancelled':
      return { kind: 'done', replies: [proposalFlow.cancelled(ctx.content)] };
    default:
      return outcome;
  }
}

async function submit(ctx: FlowContext, outcome: Extract<FormOutcome, { kind: 'submit' }>): Promise<Step<ProposalState>> {
  const { content: c, now } = ctx;
  // Reception may have closed while the person was writing.
  const reception = receptionState(c.consultation, now);
  if (reception.state !== 'open') return { kind: 'done', replies: [{ text: say(c, 'reception_closed', { end: formatDate(reception.stage.end) }) }] };
  const { contact, ...fields } = outcome.proposal;
  try {
    const proposal = await ctx.store.submit(
      {
        ...fields,
        channel: ctx.channel,
        userKey: ctx.userKey,
        ...(outcome.state.id ? { dialogId: outcome.state.id } : {}),
        ...(fields.consent && contact ? { contact: definedOnly({ name: contact.name, organization: contact.organization, email: contact.email }) } : {}),
      },
      now,
      Number(localDate(now, c.consultation.timezone).slice(0, 4)),
    );
    ctx.proposalSubmitted(proposal);
    return { kind: 'done', replies: [submittedReply(c, proposal, now)] };
  } catch (error) {
    ctx.log.error({ channel: ctx.channel, code: error instanceof CabildoError ? error.code : 'UNEXPECTED' }, 'submission not stored');
    // Not on disk, so not acknowledged: the person stays at the summary and may confirm again.
    return { kind: 'continue', state: outcome.state, replies: [{ text: say(c, 'submit_failed'), options: [c.messages.options.confirm, c.messages.options.cancel] }] };
  }
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
