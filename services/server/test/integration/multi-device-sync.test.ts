// Issue "groups, multi-device and sync", done-means 3, 4 and 6, on real Kafka and Redis:
// a member away for 200 messages catches up by sync, three devices of one user each get
// every message with their own pending acks, and a dropped msg:N is healed by a gap sync.
import { waitFor } from '@parley/testkit';
import { asConnectionId, asUserId } from '@parley/protocol';
import { CuttableLinks, expectExactlyOnceInOrder, payload, RawConnection, useServer, wsUrl } from './harness';

describe('multi-device and sync on real Kafka and Redis', () => {
  const env = useServer('mdsync', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '60000' });
  const connect = (user: string, options = {}) => env.client(user, options);

  it('3. a member disconnected for 200 messages catches up on reconnect (inbox pull and sync): no hole, no duplicate', async () => {
    const links = new CuttableLinks();
    const alice = await connect('s3-alice');
    const bob = await connect('s3-bob', { transportFactory: links.factory });
    const group = await alice.client.createGroup('away', ['s3-bob']);
    const texts = Array.from({ length: 260 }, (_, i) => `a-${String(i).padStart(3, '0')}`);
    await Promise.all(texts.slice(0, 30).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    await waitFor(() => bob.messages.length >= 30, { timeoutMs: 20_000, what: 'bob to be in the conversation' });
    links.goOffline();
    await Promise.all(texts.slice(30, 230).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    links.goOnline();
    await Promise.all(texts.slice(230).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    await waitFor(() => bob.messages.length >= 260, { timeoutMs: 60_000, what: 'bob to catch up on all 260' });
    expectExactlyOnceInOrder(bob.texts(), texts);
  });

  it('3b. a link that silently lost 200 pushes (still online to the server) is healed by sync alone', async () => {
    let away = false;
    const alice = await connect('s3b-alice');
    const bob = await connect('s3b-bob', { filter: { incoming: (frame: { packet: string }) => !(away && frame.packet === 'msgN') } });
    const group = await alice.client.createGroup('halfdead', ['s3b-bob']);
    const texts = Array.from({ length: 230 }, (_, i) => `h-${String(i).padStart(3, '0')}`);
    await Promise.all(texts.slice(0, 20).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    await waitFor(() => bob.messages.length >= 20, { timeoutMs: 20_000, what: 'bob to be in the conversation' });
    away = true;
    await Promise.all(texts.slice(20, 220).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    await waitFor(() => env.server.infrastructure.inbox.size(asUserId('s3b-bob')).then((n) => n === 0), { timeoutMs: 5_000, what: 'nothing in the inbox for online bob' });
    away = false;
    await Promise.all(texts.slice(220).map((t) => alice.client.sendToConversation(group.conversation, payload(t))));
    await waitFor(() => bob.messages.length >= 230, { timeoutMs: 30_000, what: 'bob to sync the 200 he never got' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    expect(bob.client.stats.reconnects).toBe(0);
  });

  it('4. three connections of one user each get every message; one that never acks keeps only its own pending', async () => {
    const alice = await connect('s4-alice');
    const aliceTablet = await RawConnection.open(wsUrl(env.server.port, 's4-alice'));
    const phone = await RawConnection.open(wsUrl(env.server.port, 's4-bob'));
    const laptop = await RawConnection.open(wsUrl(env.server.port, 's4-bob'));
    const silent = await RawConnection.open(wsUrl(env.server.port, 's4-bob'));
    const texts = ['one', 'two', 'three', 'four', 'five'];
    for (const t of texts) await alice.client.send('s4-bob', payload(t));
    for (const device of [phone, laptop, silent]) {
      await waitFor(() => device.frames.filter((f) => f.packet === 'msgN').length >= 5, { timeoutMs: 20_000, what: 'each device to get 5' });
    }
    for (const device of [phone, laptop]) {
      for (const f of device.frames.filter((f) => f.packet === 'msgN')) device.send({ ackR: { conversation: f.msgN!.conversation, position: f.msgN!.position } });
    }
    for (const device of [phone, laptop, silent]) {
      const got = device.frames.filter((f) => f.packet === 'msgN').map((f) => Buffer.from(f.msgN!.payload!).toString());
      expect(got).toEqual(texts);
    }
    // The sender's other device shows the conversation too.
    await waitFor(() => aliceTablet.frames.filter((f) => f.packet === 'msgN').length >= 5, { timeoutMs: 20_000, what: "alice's tablet to get her messages" });
    const connectionOf = (c: RawConnection) => asConnectionId(c.frames.find((f) => f.packet === 'welcome')!.welcome!.connectionId!);
    await waitFor(() => env.server.delivery!.pendingFor(connectionOf(phone)) === 0 && env.server.delivery!.pendingFor(connectionOf(laptop)) === 0, {
      timeoutMs: 20_000,
      what: 'the acking devices to have nothing pending',
    });
    expect(env.server.delivery!.pendingFor(connectionOf(silent))).toBe(5);
    await waitFor(() => alice.acks.length >= 5, { timeoutMs: 20_000, what: 'ack:N for each message' });
    expect(alice.acks.every((a) => a.status === 'DELIVERED')).toBe(true);
    for (const c of [aliceTablet, phone, laptop, silent]) c.close();
  });

  it('6. a dropped msg:N leaves a gap that the client fills by sync, delivering in order', async () => {
    let dropped = 0;
    const alice = await connect('s6-alice');
    const bob = await connect('s6-bob', {
      filter: {
        incoming: (frame: { packet: string; msgN?: { position?: { seq?: number | null } | null } | null }) => {
          if (frame.packet === 'msgN' && Number(frame.msgN?.position?.seq) === 5 && dropped === 0) {
            dropped += 1;
            return false;
          }
          return true;
        },
      },
    });
    const group = await alice.client.createGroup('gappy', ['s6-bob']);
    const texts = Array.from({ length: 12 }, (_, i) => `g-${i}`);
    for (const t of texts) await alice.client.sendToConversation(group.conversation, payload(t));
    await waitFor(() => bob.messages.length >= 12, { timeoutMs: 20_000, what: 'bob to fill the gap and get all 12' });
    expect(dropped).toBe(1);
    expectExactlyOnceInOrder(bob.texts(), texts);
  });
});
