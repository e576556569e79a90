/** A commitment of the draft plan, as each channel shows it: the three votes tappable everywhere. */
import { describe, expect, it } from 'vitest';
import { renderCloud } from '../../adapters/whatsapp/cloud/render.js';
import { renderSlack } from '../../adapters/slack/render.js';
import { replyToActivity } from '../../adapters/webchat/render.js';
import { numberedOptions, toWhatsApp } from '../../adapters/whatsapp/format.js';
import { person, TestClock, testEngine } from '../helpers/conversation.js';

async function commitmentReply() {
  const { engine } = await testEngine({ clock: new TestClock('2028-04-10T15:00:00Z') });
  const ana = person(engine);
  await ana.send('opinar el borrador');
  return ana.last.replies.at(-1)!;
}

describe('a draft commitment on every channel', () => {
  it('WhatsApp Cloud: one interactive message with the three votes as reply buttons', async () => {
    const messages = renderCloud(await commitmentReply());
    const interactive = messages.find((m) => m.type === 'interactive') as { interactive: { type: string; body: { text: string }; action: { buttons: { reply: { title: string } }[] } } };
    expect(interactive.interactive.type).toBe('button');
    expect(interactive.interactive.action.buttons.map((b) => b.reply.title)).toEqual(['De acuerdo', 'En desacuerdo', 'Paso']);
    expect(JSON.stringify(messages)).toMatch(/\*Compromiso 1 de 8: Justicia abierta\*/);
  });

  it('whatsapp-web.js: the votes as a numbered list', async () => {
    const reply = await commitmentReply();
    expect(`${toWhatsApp(reply.text)}\n\n${numberedOptions(reply.options!)}`).toMatch(/\n1\. De acuerdo\n2\. En desacuerdo\n3\. Paso$/);
  });

  it('Slack: the votes as buttons under the commitment', async () => {
    const { blocks } = renderSlack(await commitmentReply());
    const actions = blocks.find((b) => b.type === 'actions') as { elements: { text: { text: string }; value: string }[] };
    expect(actions.elements.map((e) => e.value)).toEqual(['De acuerdo', 'En desacuerdo', 'Paso']);
    expect(JSON.stringify(blocks)).toMatch(/\*Compromiso 1 de 8: Justicia abierta\*/);
  });

  it('Web Chat: the votes as suggested actions', async () => {
    const activity = replyToActivity(await commitmentReply());
    expect(activity.suggestedActions?.actions.map((a) => a.value)).toEqual(['De acuerdo', 'En desacuerdo', 'Paso']);
    expect(activity.text).toMatch(/\*\*Compromiso 1 de 8: Justicia abierta\*\*/);
  });
});
