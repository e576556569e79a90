/**
 * The web-chat bot: a botbuilder ActivityHandler that hands each message to the engine and
 * sends back its replies. Knows nothing of dialogs; the engine decides everything.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import type { Engine } from '../../src/index.js';
import { replyToActivity } from './render.js';

/** Channel name the engine sees for people on our Direct Line endpoint (the web chat). */
export const WEBCHAT_CHANNEL = 'webchat';
/** Channel name for people reaching `/api/messages` (Azure Bot Service, Teams, the Emulator). */
export const BOT_FRAMEWORK_CHANNEL = 'botframework';

export class CabildoBot extends ActivityHandler {
  constructor(engine: Engine, channel: string) {
    super();
    this.onMessage(async (context, next) => {
      const text = typeof context.activity.text === 'string' ? context.activity.text : '';
      const { replies } = await engine.handle({ channel, userId: context.activity.from.id, text });
      await send(context, replies.map(replyToActivity));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // One welcome per join: a conversationUpdate listing many members must not make the bot
      // send many messages (each one a request to the activity's serviceUrl).
      const joined = (context.activity.membersAdded ?? []).find((m) => m.id !== context.activity.recipient?.id);
      if (joined) {
        // The welcome is the greeting answer, so it is edited with the other answers.
        const { replies } = await engine.handle({ channel, userId: joined.id, text: 'hola' });
        await send(context, replies.map(replyToActivity));
      }
      await next();
    });
  }
}

async function send(context: TurnContext, activities: ReturnType<typeof replyToActivity>[]): Promise<void> {
  if (activities.length) await context.sendActivities(activities);
}
