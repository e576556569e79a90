/**
 * A small botbuilder adapter behind our Direct Line endpoint: a turn runs in-process and the
 * bot's activities go into the conversation's stream (kept by the store), where the client
 * polls for them.
 */
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { ChatConversations } from '../../src/index.js';

export const BOT_ACCOUNT = { id: 'cabildo', name: 'Cabildo', role: 'bot' };

export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly conversations: ChatConversations) {
    super();
  }

  /** Runs one turn for an activity that already stands in the stream. */
  process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation.id;
    const responses: ResourceResponse[] = [];
    // In order: the stream's indexes are the order the client shows them in.
    for (const activity of activities) {
      if (activity.type === 'delay' || activity.type === 'invokeResponse') {
        responses.push({ id: '' });
        continue;
      }
      const id = await this.conversations.append(conversationId, {
        ...activity,
        from: BOT_ACCOUNT,
        recipient: context.activity.from,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        channelId: 'directline',
        ...(context.activity.id ? { replyToId: context.activity.id } : {}),
      } as Record<string, unknown>);
      responses.push({ id });
    }
    return responses;
  }

  async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    if (activity.id) await this.conversations.replace(context.activity.conversation.id, activity.id, activity as Record<string, unknown>);
  }

  async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    // Indexes are watermarks: the entry stays, emptied, so later watermarks keep their meaning.
    if (reference.activityId) await this.conversations.replace(context.activity.conversation.id, reference.activityId, { type: 'messageDelete' });
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
