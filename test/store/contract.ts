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

    it('removes a delivered notice once, even for two removers at the same moment, and leaves the rest waiting', async () => {
      await withStore(async (store) => {
        const p = await store.submit(sample(1, 'ana'), NOW, 2027);
        await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(1));
        await store.setStatus(p.id, { status: 'seleccionada', actor: 'staff:x' }, later(2));
        const [first, second] = (await store.pendingNotices()).filter((n) => n.userKey === 'ana');
        // Field order does not matter: a notice is its content.
        const reordered = Object.fromEntries(Object.entries(first!).reverse()) as typeof first;
        const removed = await Promise.all([store.removeNotice(reordered!), store.removeNotice(first!)]);
        expect(removed.filter(Boolean)).toHaveLength(1);
        expect(await store.pendingNotices()).toEqual([second]);
        if (!target.reopen) return;
        const again = await target.reopen(store);
        expect(await again.pendingNotices()).toEqual([second]);
        expect(await again.removeNotice(first!)).toBe(false);
        return again;
      });
    });

    it('links a person\'s identifiers to one key, keeps when they last wrote and where to reach them (sealed), and forgets both on withdrawal', async () => {
      await withStore(async (store) => {
        expect(await store.personOf('bsuid-key')).toBeUndefined();
        expect(await store.linkPerson(['bsuid-key', 'phone-key'], 'phone-key')).toBe('phone-key');
        expect(await store.personOf('bsuid-key')).toBe('phone-key');
        // A key already linked stays with its person, whoever asks later.
        expect(await store.linkPerson(['bsuid-key', 'other-key'], 'other-key')).toBe('phone-key');
        expect(await store.personOf('other-key')).toBe('other-key');
        const [a, b] = await Promise.all([store.linkPerson(['race-key'], 'one'), store.linkPerson(['race-key'], 'two')]);
        expect(a).toBe(b);

        expect(await store.reach('phone-key')).toBeUndefined();
        await store.setReach('phone-key', NOW, '{"to":"56911112222"}');
        await store.setReach('phone-key', later(5), '{"to":"56911112222","recipient":"CL.1502576394655843"}');
        expect(await store.reach('phone-key')).toEqual({ lastInboundAt: later(5).toISOString(), address: '{"to":"56911112222","recipient":"CL.1502576394655843"}' });
        // Only the person's own data: the address is not found under another key.
        expect(await store.reach('bsuid-key')).toBeUndefined();
        let current = store;
        if (target.reopen) {
          current = await target.reopen(store);
          expect(await current.personOf('bsuid-key')).toBe('phone-key');
          expect((await current.reach('phone-key'))?.lastInboundAt).toBe(later(5).toISOString());
        }
        await current.eraseUser('phone-key', 'withdraw', later(6));
        expect(await current.reach('phone-key')).toBeUndefined();
        expect(await current.personOf('bsuid-key')).toBeUndefined();
        return current;
      });
    });

    it('drops the dialog states of one kind untouched since a time, and nothing else', async () => {
      await withStore(async (store) => {
        await store.setSession('old', { v: 1, form: 'deletion', updatedAt: NOW.toISOString() });
        await store.setSession('ctx-old', { v: 1, form: 'deletion', updatedAt: NOW.toISOString(), asked: true });
        await store.setSession('new', { v: 1, form: 'deletion', updatedAt: later(30).toISOString() });
        expect(await store.dropSessions('signup', later(10))).toBe(0);
        expect(await store.dropSessions('deletion', later(10))).toBe(2);
        expect(await store.session('old')).toBeUndefined();
        expect(await store.session('ctx-old')).toBeUndefined();
        expect(await store.session('new')).toMatchObject({ form: 'deletion' });
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
        await store.comment('ana', 'webchat', 'C1', 'escríbanme a ana@correo.cl', NOW);
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
        await store.comment('ana', 'webchat', 'C1', 'Bien', NOW);
        await store.vote('ana', 'C2', 'pass', later(1));
        expect(await store.vote('ana', 'C1', 'disagree', later(2))).toEqual({ replaced: true });
        const mine = await store.opinionsOf('ana');
        expect(mine.map((o) => [o.commitmentId, o.vote, o.comment])).toEqual([['C2', 'pass', undefined], ['C1', 'disagree', undefined]]);
        await store.vote('beto', 'C1', 'agree', later(3));
        expect((await store.opinions('C1')).map((o) => o.userKey)).toEqual(['beto', 'ana']);
        await expect(store.comment('carla', 'webchat', 'C1', 'x', NOW)).rejects.toMatchObject({ code: 'OPINION_NOT_FOUND' });
        await store.setPriority('ana', 'C1', NOW);
        await store.setPriority('ana', 'C2', later(1));
        await store.setPriority('beto', 'C2', later(2));
        expect((await store.priorityOf('ana'))?.commitmentId).toBe('C2');
        expect((await store.priorities()).map((p) => p.userKey)).toEqual(['ana', 'beto']);
      });
    });

    it('numbers comments per commitment, never reusing a number, and hides one by its reference, telling its author', async () => {
      await withStore(async (store) => {
        await store.vote('ana', 'C1', 'agree', NOW);
        await store.vote('beto', 'C1', 'disagree', NOW);
        await store.comment('ana', 'whatsapp', 'C1', 'Primero', NOW);
        await store.comment('beto', 'webchat', 'C1', 'Segundo', later(1));
        await store.comment('ana', 'whatsapp', 'C1', 'Lo cambio', later(2));
        const numbers = async () => (await store.opinions('C1')).map((o) => [o.userKey, o.comment, o.commentNo]);
        expect(await numbers()).toEqual([['beto', 'Segundo', 2], ['ana', 'Lo cambio', 3]]);
        expect(await store.setCommentHidden({ commitmentId: 'C1', commentNo: 1 }, 'x', 'staff:x', NOW)).toBe('not_found');
        expect(await store.setCommentHidden({ commitmentId: 'C1', commentNo: 3 }, 'Insulta a una persona', 'staff:x', later(3))).toBe('changed');
        expect((await store.opinionsOf('ana'))[0]?.hidden).toEqual({ reason: 'Insulta a una persona', at: later(3).toISOString(), by: 'staff:x' });
        await store.setCommentHidden({ commitmentId: 'C1', commentNo: 3 }, undefined, 'staff:x', later(4));
        expect((await store.opinionsOf('ana'))[0]?.hidden).toBeUndefined();
        const notices = await store.takeNotices('ana');
        expect(notices.map((n) => n.kind === 'comment_moderation' && [n.channel, n.commitmentId, n.commentNo, n.hidden, n.reason])).toEqual([
          ['whatsapp', 'C1', 3, true, 'Insulta a una persona'],
          ['whatsapp', 'C1', 3, false, undefined],
        ]);
        // A new text is a new comment, shown again under a new number.
        await store.setCommentHidden({ commitmentId: 'C1', commentNo: 2 }, 'Spam', 'staff:x', later(5));
        await store.comment('beto', 'webchat', 'C1', 'Otra cosa', later(6));
        expect((await store.opinionsOf('beto'))[0]).toMatchObject({ comment: 'Otra cosa', commentNo: 4 });
        expect((await store.opinionsOf('beto'))[0]?.hidden).toBeUndefined();
        // Erased comments keep their numbers taken.
        await store.eraseUser('beto', 'withdraw', later(6));
        await store.vote('carla', 'C1', 'pass', later(7));
        await store.comment('carla', 'webchat', 'C1', 'Tercera persona', later(7));
        expect((await store.opinionsOf('carla'))[0]?.commentNo).toBe(5);
      });
    });

    it('changes its results revision with every change the public results show, and not on a read', async () => {
      await withStore(async (store) => {
        const seen = [await store.resultsRevision()];
        const changed = async () => {
          const now = await store.resultsRevision();
          const fresh = !seen.includes(now);
          seen.push(now);
          return fresh;
        };
        const p = await store.submit(sample(1, 'ana'), NOW, 2027);
        expect(await changed()).toBe(true);
        await store.list();
        await store.opinions();
        expect(await changed()).toBe(false);
        await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(1));
        expect(await changed()).toBe(true);
        await store.setHidden(p.id, 'x', 'staff:x', later(2));
        expect(await changed()).toBe(true);
        await store.vote('ana', 'C1', 'agree', later(3));
        expect(await changed()).toBe(true);
        await store.comment('ana', 'webchat', 'C1', 'Bien', later(4));
        expect(await changed()).toBe(true);
        await store.setCommentHidden({ commitmentId: 'C1', commentNo: 1 }, 'x', 'staff:x', later(5));
        expect(await changed()).toBe(true);
        await store.setPriority('ana', 'C1', later(6));
        expect(await changed()).toBe(true);
        await store.respondToConsultation('C1', 'Se incorpora.', 'staff:x', later(7));
        expect(await changed()).toBe(true);
        await store.eraseUser('ana', 'withdraw', later(8));
        expect(await changed()).toBe(true);
        // Another instance on the same data sees the change (its cache must drop too).
        if (!target.sibling) return;
        const twin = await target.sibling(store);
        const before = await twin.resultsRevision();
        await store.submit(sample(2, 'beto'), later(9), 2027);
        expect(await twin.resultsRevision()).not.toBe(before);
        await twin.close();
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

    it('tells a web-chat stream watcher about appends, from this instance and from another', async () => {
      await withStore(async (store) => {
        const limits = { ttlMs: 30 * 60_000, maxConversations: 10, maxActivities: 10 };
        const chats = store.chatConversations(limits);
        const c = (await chats.create('w_ana'))!;
        const other = (await chats.create('w_beto'))!;
        expect(await chats.has(c.id)).toBe(true);
        expect(await chats.has('no-such-conversation')).toBe(false);
        let calls = 0;
        const stop = chats.watch(c.id, () => calls++);
        const called = async (n: number) => {
          const deadline = Date.now() + 5000;
          while (calls < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          return calls;
        };
        // The listener may announce itself once when it (re)connects; count from there.
        await new Promise((r) => setTimeout(r, 300));
        const base = calls;
        await chats.append(c.id, { type: 'message', text: 'hola' });
        expect(await called(base + 1)).toBeGreaterThanOrEqual(base + 1);
        const afterOwn = calls;
        await chats.append(other.id, { type: 'message', text: 'otra' });
        await new Promise((r) => setTimeout(r, 200));
        expect(calls).toBe(afterOwn);
        if (target.sibling) {
          const twin = await target.sibling(store);
          await twin.chatConversations(limits).append(c.id, { type: 'message', text: 'desde otra instancia' });
          expect(await called(afterOwn + 1)).toBeGreaterThanOrEqual(afterOwn + 1);
          await twin.close();
        }
        stop();
        const stopped = calls;
        await chats.append(c.id, { type: 'message', text: 'nadie escucha' });
        await new Promise((r) => setTimeout(r, 200));
        expect(calls).toBe(stopped);
      });
    });

    it('queues an email for each notice to a person who gave an address with consent, and for nobody else', async () => {
      await withStore(async (store) => {
        const outbox = store.emailOutbox();
        const clock = new Date();
        const ana = await store.submit({ ...sample(1, 'ana'), consent: true, contact: { name: 'Ana', email: 'ana@correo.cl' } }, NOW, 2027);
        const beto = await store.submit({ ...sample(2, 'beto'), consent: false, contact: { email: 'beto@correo.cl' } }, NOW, 2027);
        const carla = await store.submit({ ...sample(3, 'carla'), consent: true, contact: { name: 'Carla' } }, NOW, 2027);
        for (const p of [ana, beto, carla]) await store.setStatus(p.id, { status: 'seleccionada', answer: 'Gracias', actor: 'staff:x' }, later(1));
        await store.invite([{ proposalId: ana.id, commitmentId: 'C1' }, { proposalId: beto.id, commitmentId: 'C1' }], later(2));
        // A work-table sign-up with an email is confirmed by email; one with a phone is not.
        await store.signUp({ tableId: 'M1', userKey: 'dora', channel: 'test', name: 'Dora', email: 'dora@correo.cl' }, 1, later(3));
        await store.signUp({ tableId: 'M1', userKey: 'eli', channel: 'test', name: 'Eli', phone: '+56911112222' }, 1, later(3));
        await store.remind(['M1'], later(4));

        const due = await outbox.due(clock, 100, 60_000);
        expect(due.map((e) => [e.item.userKey, e.item.kind ?? 'status'])).toEqual([
          ['ana', 'status'],
          ['ana', 'draft_open'],
          ['dora', 'table_signup'],
          ['dora', 'table_reminder'],
        ]);
        expect(due.every((e) => e.attempts === 0)).toBe(true);
        // Chat delivery takes the notices; the emails stay queued, apart.
        await store.takeNotices('ana');
        // Leased: not handed out again while the sender works on them.
        expect(await outbox.due(clock, 100, 60_000)).toEqual([]);
        expect(await outbox.due(new Date(clock.getTime() + 61_000), 1, 60_000)).toHaveLength(1);
      });
    });

    it('hands an email out until it is sent, retries it later with its attempts counted, and keeps the outbox across restarts', async () => {
      await withStore(async (store) => {
        const t0 = new Date();
        const p = await store.submit({ ...sample(1, 'ana'), consent: true, contact: { email: 'ana@correo.cl' } }, NOW, 2027);
        await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(1));
        await store.setStatus(p.id, { status: 'seleccionada', answer: 'Sí', actor: 'staff:x' }, later(2));
        let outbox = store.emailOutbox();
        const [first, second] = await outbox.due(t0, 10, 60_000);
        await outbox.sent(first!.id);
        await outbox.retry(second!.id, new Date(t0.getTime() + 5_000));
        expect(await outbox.due(new Date(t0.getTime() + 4_000), 10, 60_000)).toEqual([]);
        let current = store;
        if (target.reopen) {
          current = await target.reopen(store);
          outbox = current.emailOutbox();
        }
        const again = await outbox.due(new Date(t0.getTime() + 5_000), 10, 60_000);
        expect(again.map((e) => [e.id, e.attempts])).toEqual([[second!.id, 1]]);
        await outbox.sent(second!.id);
        expect(await outbox.due(new Date(t0.getTime() + 3_600_000), 10, 60_000)).toEqual([]);
        return current;
      });
    });

    it('keeps the unsubscribed addresses, and drops a person\'s queued emails when they ask to be forgotten', async () => {
      await withStore(async (store) => {
        const t0 = new Date();
        expect(await store.emailOutbox().unsubscribed('addr-key-1')).toBe(false);
        await store.emailOutbox().unsubscribe('addr-key-1', NOW);
        await store.emailOutbox().unsubscribe('addr-key-1', NOW);
        const p = await store.submit({ ...sample(1, 'ana'), consent: true, contact: { email: 'ana@correo.cl' } }, NOW, 2027);
        await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(1));
        await store.eraseUser('ana', 'contact', later(2));
        expect(await store.emailOutbox().due(t0, 10, 60_000)).toEqual([]);
        // A status change after the erasure finds no address: nothing is queued.
        await store.setStatus(p.id, { status: 'seleccionada', actor: 'staff:x' }, later(3));
        expect(await store.emailOutbox().due(t0, 10, 60_000)).toEqual([]);
        if (!target.reopen) return;
        const again = await target.reopen(store);
        expect(await again.emailOutbox().unsubscribed('addr-key-1')).toBe(true);
        return again;
      });
    });

    it('gives each due email to one sender when two instances ask at the same moment', async () => {
      if (!target.sibling) return;
      await withStore(async (store) => {
        const twin = await target.sibling!(store);
        try {
          const t0 = new Date();
          for (let i = 0; i < 20; i++) {
            const p = await store.submit({ ...sample(i, `u${i}`), consent: true, contact: { email: `u${i}@correo.cl` } }, NOW, 2027);
            await store.setStatus(p.id, { status: 'en_revision', actor: 'staff:x' }, later(1));
          }
          const [a, b] = await Promise.all([store.emailOutbox().due(t0, 15, 60_000), twin.emailOutbox().due(t0, 15, 60_000)]);
          const ids = [...a, ...b].map((e) => e.id);
          expect(ids).toHaveLength(20);
          expect(new Set(ids).size).toBe(20);
        } finally {
          await twin.close();
        }
      });
    });

    it('reports itself healthy', async () => {
      await withStore(async (store) => {
        expect(await store.health()).toEqual({ ok: true });
      });
    });
  });
}
