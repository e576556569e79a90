/**
 * The web-chat bot: a botbuilder ActivityHandler that hands each message to the engine and
 * sends back its replies. Knows nothing of dialogs; the engine decides everything.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import type { Engine } from '../../src/index.js';
import { replyToActivity } from './render.js';

/** Channel name the engine sees for every Bot Framework conversation. */
export const WEBCHAT_CHANNEL = 'webchat';

export class CabildoBot extends ActivityHandler {
  constructor(engine: Engine) {
    super();
    this.onMessage(async (context, next) => {
      const text = typeof context.activity.text === 'string' ? context.activity.text : '';
      const { replies } = await engine.handle({ channel: WEBCHAT_CHANNEL, userId: context.activity.from.id, text });
      await send(context, replies.map(replyToActivity));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      for (const member of joined) {
        // The welcome is the greeting answer, so it is edited with the other answers.
        const { replies } = await engine.handle({ channel: WEBCHAT_CHANNEL, userId: member.id, text: 'hola' });
        await send(context, replies.map(replyToActivity));
      }
      await next();
    });
  }
}

async function send(context: TurnContext, activities: ReturnType<typeof replyToActivity>[]): Promise<void> {
  if (activities.length) await context.sendActivities(activities);
}
