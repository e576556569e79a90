/**
 * A small botbuilder adapter behind our Direct Line endpoint: a turn runs in-process and the
 * bot's activities go into the conversation's stream, where the client polls for them.
 */
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { ConversationRegistry } from './conversations.js';

export const BOT_ACCOUNT = { id: 'cabildo', name: 'Cabildo', role: 'bot' };

export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly registry: ConversationRegistry) {
    super();
  }

  /** Runs one turn for an activity that already stands in the stream. */
  process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversation = this.registry.get(context.activity.conversation.id);
    return activities.map((activity) => {
      if (!conversation || activity.type === 'delay' || activity.type === 'invokeResponse') return { id: '' };
      const id = this.registry.append(conversation, {
        ...activity,
        from: BOT_ACCOUNT,
        recipient: context.activity.from,
        conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
        channelId: 'directline',
        ...(context.activity.id ? { replyToId: context.activity.id } : {}),
      });
      return { id };
    });
  }

  async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    const conversation = this.registry.get(context.activity.conversation.id);
    const index = conversation?.activities.findIndex((a) => a.id === activity.id) ?? -1;
    if (conversation && index >= 0) conversation.activities[index] = { ...conversation.activities[index], ...activity };
  }

  async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversation = this.registry.get(context.activity.conversation.id);
    // Indexes are watermarks: the entry stays, emptied, so later watermarks keep their meaning.
    const index = conversation?.activities.findIndex((a) => a.id === reference.activityId) ?? -1;
    if (conversation && index >= 0) conversation.activities[index] = { id: reference.activityId, type: 'messageDelete' };
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
