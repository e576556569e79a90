/**
 * The store contract: what every implementation of the port (memory, the JSON file, PostgreSQL)
 * must do, run unchanged against each. `open` gives a fresh, empty store; `reopen`, where the
 * store outlives its process, a second handle on the same data after the first is closed.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { sample } from '../helpers/sample.js';

export interface ContractTarget {
  open(): Promise<Store>;
  /** Closes `store` and opens the same data again (durability); absent for the memory store. */
  reopen?(store: Store): Promise<Store>;
  /** A second handle on the same data while the first is open (another instance); only where several may share it. */
  sibling?(store: Store): Promise<Store>;
}

const NOW = new Date('2027-03-15T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

export function storeContract(name: string, target: ContractTarget, options: { skip?: string } = {}): void {
  if (options.skip) console.log(`skipped: the ${name} store contract (${options.skip})`);

  describe.skipIf(options.skip !== undefined)(`store contract: ${name}`, () => {
    async function withStore(run: (store: Store) => Promise<Store | void>): Promise<void> {
      const store = await target.open();
      let current: Store = store;
      try {
        current = (await run(store)) ?? store;
      } finally {
        await current.close();
      }
    }

    it('gives 200 concurrent submissions distinct, sequential tracking numbers, and keeps them once acknowledged', async () => {
      await withStore(async (store) => {
        const filed = await Promise.all(Array.from({ length: 200 }, (_, i) => store.submit(sample(i), NOW, 2027)));
        const ids = filed.map((p) => p.id).sort();
        expect(new Set(ids).size).toBe(200);
        expect(ids[0]).toBe('GA-2027-000001');
        expect(ids[199]).toBe('GA-2027-000200');
        // Each year counts on its own.
        expect((await store.submit(sample(1), NOW, 2028)).id).toBe('GA-2028-000001');
        // Newest first.
        const listed = await store.list();
        expect(listed).toHaveLength(201);
        expect(listed[0]!.id).toBe('GA-2028-000001');
        if (!target.reopen) return;
        const again = await target.reopen(store);
        expect((await again.list()).map((p) => p.id).sort()).toEqual([...ids, 'GA-2028-000001'].sort());
        expect((await again.submit(sample(2), NOW, 2027)).id).toBe('GA-2027-000201');
        return again;
      });
    });

    it('files a dialog once, however often it is confirmed', async () => {
      await withStore(async (store) => {
        const first = await store.submit({ ...sample(1), dialogId: 'd-1' }, NOW, 2027);
        const [second, third] = await Promise.all([store.submit({ ...sample(1), dialogId: 'd-1' }, NOW, 2027), store.submit({ ...sample(1), dialogId: 'd-1' }, NOW, 2027)]);
        expect(second.id).toBe(first.id);
        expect(third.id).toBe(first.id);
        expect(await store.list()).toHaveLength(1);
      });
    });

    it('finds proposals by id, by person (newest first) and by status and territory (without accents or case)', async () => {
      await withStore(async (store) => {
        const a = await store.submit({ ...sample(1, 'ana'), territory: 'Peñalolén' }, NOW, 2027);
        const b = await store.submit({ ...sample(2, 'beto'), territory: 'Renca' }, later(1), 2027);
        const c = await store.submit({ ...sample(3, 'ana'), territory: 'Región de Ñuble' }, later(2), 2027);
        expect((await store.get(a.id))?.title).toBe('Propuesta 1');
        expect(await store.get('GA-2027-999999')).toBeUndefined();
        expect((await store.byUser('ana')).map((p) => p.id)).toEqual([c.id, a.id]);
        expect((await store.list({ territory: 'penalolen' })).map((p) => p.id)).toEqual([a.id]);
        await store.setStatus(b.id, { status: 'en_revision', actor: 'staff:x' }, later(3));
        expect((await store.list({ status: 'en_revision' })).map((p) => p.id)).toEqual([b.id]);
        expect((await store.list({ status: 'recibida', territory: 'ñuble' })).map((p) => p.id)).toEqual([c.id]);
      });
    });

    it('changes a status with history and a notice for the author; refuses unknown and withdrawn proposals', async () => {
      await withStore(async (store) => {
        const p = await store.submit(sample(1, 'ana'), NOW, 2027);
        expect(await store.setStatus('GA-2027-999999', { status: 'seleccionada', actor: 'staff:x' }, later(1))).toEqual({ kind: 'not_found' });
        const changed = await store.setStatus(p.id, { status: 'seleccionada', answer: 'Entra al plan.', actor: 'staff:x' }, later(1));
        expect(changed.kind).toBe('changed');
        const stored = (await store.get(p.id))!;
        expect(stored).toMatchObject({ status: 'seleccionada', answer: 'Entra al plan.', updatedAt: later(1).toISOString() });
        expect(stored.history.map((h) => h.status)).toEqual(['recibida', 'seleccionada']);
        expect(await store.hasNotices('ana')).toBe(true);
        await store.eraseUser('ana', 'withdraw', later(2));
        expect(await store.setStatus(p.id, { status: 'seleccionada', actor: 'staff:x' }, later(3))).toEqual({ kind: 'withdrawn' });
      });
    });

    it('hides a proposal by moderation with a reason and shows it again, telling the author each time', async () => {
      await withStore(async (store) => {
        const p = await store.submit(sample(1, 'ana'), NOW, 2027);
        expect(await store.setHidden('GA-2027-999999', 'x', 'staff:x', NOW)).toBe('not_found');
        expect(await store.setHidden(p.id, 'Contiene datos de terceros', 'staff:x', later(1))).toBe('changed');
        expect((await store.get(p.id))?.hidden).toEqual({ reason: 'Contiene datos de terceros', at: later(1).toISOString(), by: 'staff:x' });
        await store.setHidden(p.id, undefined, 'staff:x', later(2));
        expect((await store.get(p.id))?.hidden).toBeUndefined();
        expect((await store.takeNotices('ana')).map((n) => n.kind === 'moderation' && [n.hidden, n.reason])).toEqual([[true, 'Contiene datos de terceros'], [false, undefined]]);
      });
    });

    it('hands each notice out once, even to two takers at the same moment', async () => {
      await withStore(async (store) => {
        const p = await store.submit(sample(1, 'ana'), NOW, 2027);
        for (let i = 0; i < 5; i++) await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(i));
        expect((await store.pendingNotices()).filter((n) => n.userKey === 'ana')).toHaveLength(5);
        const [one, two] = await Promise.all([store.takeNotices('ana'), store.takeNotices('ana')]);
        expect(one.length + two.length).toBe(5);
        expect(await store.hasNotices('ana')).toBe(false);
        expect(await store.takeNotices('ana')).toEqual([]);
      });
    });

    it('keeps, replaces and clears dialog state', async () => {
      await withStore(async (store) => {
        expect(await store.session('ana')).toBeUndefined();
        await store.setSession('ana', { v: 1, form: 'deletion', updatedAt: NOW.toISOString() });
        await store.setSession('ana', { v: 1, form: 'deletion', updatedAt: later(1).toISOString(), asked: true });
        expect(await store.session('ana')).toEqual({ v: 1, form: 'deletion', updatedAt: later(1).toISOString(), asked: true });
        await store.setSession('ana', undefined);
        expect(await store.session('ana')).toBeUndefined();
      });
    });

    it('forgets contact details and masks typed personal data; withdrawing also unlinks, and drops opinions', async () => {
      await withStore(async (store) => {
        const p = await store.submit({ ...sample(1, 'ana'), problem: 'Llamar a Juana al +56 9 1111 2222', consent: true, contact: { name: 'Ana', email: 'ana@correo.cl' } }, NOW, 2027);
        await store.vote('ana', 'C1', 'agree', NOW);
        await store.comment('ana', 'C1', 'escríbanme a ana@correo.cl', NOW);
        await store.setSession('ana', { v: 1, form: 'deletion', updatedAt: NOW.toISOString() });
        expect(await store.eraseUser('ana', 'contact', later(1))).toBe(1);
        const kept = (await store.get(p.id))!;
        expect(kept.contact).toBeUndefined();
        expect(kept.userKey).toBe('ana');
        expect(kept.problem).not.toContain('1111');
        expect((await store.opinionsOf('ana'))[0]!.comment).not.toContain('ana@correo.cl');
        expect(await store.session('ana')).toBeUndefined();
        await store.eraseUser('ana', 'withdraw', later(2));
        const withdrawn = (await store.get(p.id))!;
        expect(withdrawn).toMatchObject({ status: 'retirada' });
        expect(withdrawn.userKey).toBeUndefined();
        expect(await store.byUser('ana')).toEqual([]);
        expect(await store.opinionsOf('ana')).toEqual([]);
        const data = await store.userData('ana');
        expect(data).toMatchObject({ proposals: [], notices: [], opinions: [], signups: [] });
      });
    });

    it('keeps one opinion per person and commitment, in the order given; a new vote replaces the old and its comment', async () => {
      await withStore(async (store) => {
        expect(await store.vote('ana', 'C1', 'agree', NOW)).toEqual({ replaced: false });
        await store.comment('ana', 'C1', 'Bien', NOW);
        await store.vote('ana', 'C2', 'pass', later(1));
        expect(await store.vote('ana', 'C1', 'disagree', later(2))).toEqual({ replaced: true });
        const mine = await store.opinionsOf('ana');
        expect(mine.map((o) => [o.commitmentId, o.vote, o.comment])).toEqual([['C2', 'pass', undefined], ['C1', 'disagree', undefined]]);
        await store.vote('beto', 'C1', 'agree', later(3));
        expect((await store.opinions('C1')).map((o) => o.userKey)).toEqual(['beto', 'ana']);
        await expect(store.comment('carla', 'C1', 'x', NOW)).rejects.toMatchObject({ code: 'OPINION_NOT_FOUND' });
        await store.setPriority('ana', 'C1', NOW);
        await store.setPriority('ana', 'C2', later(1));
        await store.setPriority('beto', 'C2', later(2));
        expect((await store.priorityOf('ana'))?.commitmentId).toBe('C2');
        expect((await store.priorities()).map((p) => p.userKey)).toEqual(['ana', 'beto']);
      });
    });

    it('keeps one staff response to the consultation per commitment, the latest', async () => {
      await withStore(async (store) => {
        await store.respondToConsultation('C1', 'Se incorpora.', 'staff:x', NOW);
        await store.respondToConsultation('C2', 'Se ajusta el plazo.', 'staff:y', later(1));
        await store.respondToConsultation('C1', 'Se incorpora con cambios.', 'staff:x', later(2));
        expect((await store.consultationResponses()).map((r) => [r.commitmentId, r.text, r.by]).sort()).toEqual([
          ['C1', 'Se incorpora con cambios.', 'staff:x'],
          ['C2', 'Se ajusta el plazo.', 'staff:y'],
        ]);
      });
    });

    it('stores 200 concurrent votes on one commitment', async () => {
      await withStore(async (store) => {
        await Promise.all(Array.from({ length: 200 }, (_, i) => store.vote(`p${i}`, 'C1', i % 2 ? 'agree' : 'disagree', NOW)));
        const all = await store.opinions('C1');
        expect(all).toHaveLength(200);
        expect(all.filter((o) => o.vote === 'agree')).toHaveLength(100);
      });
    });

    it('invites each author once, and never the author of a withdrawn proposal', async () => {
      await withStore(async (store) => {
        const a = await store.submit(sample(1, 'ana'), NOW, 2027);
        const b = await store.submit(sample(2, 'beto'), NOW, 2027);
        await store.eraseUser('beto', 'withdraw', NOW);
        const invitations = [{ proposalId: a.id, commitmentId: 'C1' }, { proposalId: b.id, commitmentId: 'C2' }, { proposalId: 'GA-2027-999999', commitmentId: 'C3' }];
        expect(await store.invite(invitations, later(1))).toBe(1);
        expect(await store.invite(invitations, later(2))).toBe(0);
        expect(await store.takeNotices('ana')).toEqual([{ userKey: 'ana', channel: 'test', proposalId: a.id, createdAt: later(1).toISOString(), kind: 'draft_open', commitmentId: 'C1' }]);
      });
    });

    it('gives 10 places to 50 racers and a waitlist to the rest; a freed place goes to the first in line', async () => {
      await withStore(async (store) => {
        const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => store.signUp({ tableId: 'M1', userKey: `k${i}`, channel: 'test', name: `P${i}`, email: `p${i}@x.cl` }, 10, NOW)));
        expect(outcomes.filter((o) => o.signUp.status === 'confirmed')).toHaveLength(10);
        expect(outcomes.map((o) => o.position).filter(Boolean).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        const table = await store.signUps('M1');
        expect(table).toHaveLength(50);
        const again = await store.signUp({ tableId: 'M1', userKey: 'k0', channel: 'test', name: 'P0', email: 'p0@x.cl' }, 10, NOW);
        expect(again.existing).toBe(true);

        const holder = table.find((x) => x.status === 'confirmed')!;
        const firstInLine = table.find((x) => x.status === 'waitlist')!;
        expect(await store.cancelSignUp(holder.userKey, 'M1-NOPE', later(1))).toBeUndefined();
        const cancelled = await store.cancelSignUp(holder.userKey, holder.code.toLowerCase(), later(1));
        expect(cancelled?.promoted?.code).toBe(firstInLine.code);
        expect((await store.signUpsOf(firstInLine.userKey))[0]!.status).toBe('confirmed');
        expect(await store.signUpsOf(holder.userKey)).toEqual([]);
        expect((await store.takeNotices(firstInLine.userKey))[0]).toMatchObject({ kind: 'table_promoted', code: firstInLine.code });

        expect(await store.remind(['M1'], later(2))).toBe(10);
        expect(await store.remind(['M1'], later(3))).toBe(0);
      });
    });

    it('sees each platform delivery once, even when two arrive at the same moment', async () => {
      await withStore(async (store) => {
        const twin = target.sibling ? await target.sibling(store) : store;
        try {
          const firsts = await Promise.all([store.firstDelivery('whatsapp:wamid.1'), twin.firstDelivery('whatsapp:wamid.1'), store.firstDelivery('whatsapp:wamid.1')]);
          expect(firsts.filter(Boolean)).toHaveLength(1);
          expect(await twin.firstDelivery('whatsapp:wamid.2')).toBe(true);
        } finally {
          if (twin !== store) await twin.close();
        }
      });
    });

    it('never runs two pieces of work for one person at once, across handles', async () => {
      await withStore(async (store) => {
        const twin = target.sibling ? await target.sibling(store) : store;
        try {
          const log: string[] = [];
          const work = (name: string) => async () => {
            log.push(`${name} in`);
            await new Promise((r) => setTimeout(r, 30));
            log.push(`${name} out`);
          };
          await Promise.all([store.exclusive('ana', work('a')), twin.exclusive('ana', work('b')), store.exclusive('beto', async () => log.push('beto'))]);
          const ana = log.filter((l) => l !== 'beto');
          // Strictly one after the other, never interleaved.
          expect([['a in', 'a out', 'b in', 'b out'], ['b in', 'b out', 'a in', 'a out']]).toContainEqual(ana);
          expect(await store.exclusive('ana', async () => 42)).toBe(42);
          await expect(store.exclusive('ana', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
          expect(await twin.exclusive('ana', async () => 'released after a failure')).toBe('released after a failure');
        } finally {
          if (twin !== store) await twin.close();
        }
      });
    });

    it('lets one handle hold a claim; another gets it once the first is gone', async () => {
      await withStore(async (store) => {
        expect(await store.claim('whatsapp-web')).toBe(true);
        if (!target.sibling) return;
        const twin = await target.sibling(store);
        expect(await twin.claim('whatsapp-web')).toBe(false);
        expect(await twin.claim('something-else')).toBe(true);
        await twin.close();
        const again = await target.reopen!(store);
        const third = await target.sibling(again);
        expect(await third.claim('whatsapp-web')).toBe(true);
        await third.close();
        return again;
      });
    });

    it('keeps web-chat conversations: one live token, a stream with absolute watermarks, a cap, and expiry', async () => {
      await withStore(async (store) => {
        let now = Date.parse('2027-03-15T12:00:00Z');
        const chats = store.chatConversations({ ttlMs: 30 * 60_000, maxConversations: 3, maxActivities: 4 }, () => now);
        const c = (await chats.create('w_ana'))!;
        expect(c).toMatchObject({ userId: 'w_ana', started: false });
        const first = await chats.issueToken(c.id);
        expect((await chats.byToken(first.token))?.id).toBe(c.id);
        expect((await chats.currentToken(c.id)).token).toBe(first.token);
        const second = await chats.issueToken(c.id);
        expect(await chats.byToken(first.token)).toBeUndefined();
        expect((await chats.byToken(second.token))?.id).toBe(c.id);
        expect(await chats.counts()).toEqual({ conversations: 1, tokens: 1 });
        // One welcome: only the first start counts, even at the same moment.
        expect((await Promise.all([chats.start(c.id), chats.start(c.id)])).filter(Boolean)).toHaveLength(1);

        const ids = [];
        for (let i = 0; i < 6; i++) ids.push(await chats.append(c.id, { type: 'message', text: `m${i}` }));
        expect(ids[5]).toBe(`${c.id}|0000005`);
        // Only the latest 4 are kept; watermarks stay absolute.
        const all = await chats.since(c.id, 0);
        expect(all.watermark).toBe('6');
        expect(all.activities.map((a) => a.text)).toEqual(['m2', 'm3', 'm4', 'm5']);
        expect((await chats.since(c.id, 5)).activities.map((a) => a.text)).toEqual(['m5']);
        expect(await chats.since(c.id, 6)).toEqual({ activities: [], watermark: '6' });
        await chats.replace(c.id, ids[4]!, { type: 'messageDelete' });
        expect((await chats.since(c.id, 4)).activities.map((a) => [a.id, a.type])).toEqual([[ids[4], 'messageDelete'], [ids[5], 'message']]);

        expect(await chats.create('w_beto')).toBeDefined();
        expect(await chats.create('w_carla')).toBeDefined();
        expect(await chats.create('w_dora')).toBeUndefined();
        // Idle past the time-to-live: forgotten with its token, and room again.
        now += 31 * 60_000;
        expect(await chats.byToken(second.token)).toBeUndefined();
        expect(await chats.sweep()).toBe(3);
        expect(await chats.create('w_dora')).toBeDefined();
      });
    });

    it('reports itself healthy', async () => {
      await withStore(async (store) => {
        expect(await store.health()).toEqual({ ok: true });
      });
    });
  });
}
