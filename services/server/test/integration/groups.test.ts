// Issue "groups, multi-device and sync", done-means 1, 2 and 5, on real Kafka and Redis:
// concurrent senders in a 50-member group (everyone sees everything once, in the same
// order), a 5,000-member group over two gateways (fan-out per gateway, read from a
// metric), and membership rules (non-members refused, removed members stop receiving).
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, ErrorCode, Frame } from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { payload, RawConnection, realEnv, RecordingClient, startServer, tokenFor } from './harness';

const metricValue = async (server: ParleyServer, name: string): Promise<number> => {
  const text = await server.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('groups on real Kafka and Redis', () => {
  let env: Record<string, string>;
  let core: ParleyServer;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    env = realEnv('groups', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '2000', PARLEY_MAX_FRAME_BYTES: '262144' });
    core = await startServer(env);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await core?.stop();
  });

  const connect = async (server: ParleyServer, user: string) => {
    const client = new RecordingClient(server.port, user);
    clients.push(client);
    return client.connect();
  };

  it('1. 50 members, 10 concurrent senders: every member gets every message once, all in the same order', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const members = await Promise.all(users.map((u) => connect(core, u)));
    const group = await members[0]!.client.createGroup('fifty', users.slice(1));
    expect(group.members).toHaveLength(50);
    const perSender = 20;
    await Promise.all(
      members.slice(0, 10).flatMap((sender, s) =>
        Array.from({ length: perSender }, (_, i) => sender.client.sendToConversation(group.conversation, payload(`s${s}-${i}`))),
      ),
    );
    const total = 10 * perSender;
    // Senders see their own messages through msg:A, not msg:N: compare what each member received plus its own sends.
    await waitFor(() => members.every((m, i) => m.messages.length >= (i < 10 ? total - perSender : total)), {
      timeoutMs: 60_000,
      what: 'every member to receive every message',
    });
    const reference = members[10]!.messages.map((m) => `${m.position.seq}:${Buffer.from(m.payload).toString()}`);
    expect(reference).toHaveLength(total);
    expect(members[10]!.messages.map((m) => m.position.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const member of members.slice(10)) {
      expect(member.messages.map((m) => `${m.position.seq}:${Buffer.from(m.payload).toString()}`)).toEqual(reference);
    }
    for (const [i, sender] of members.slice(0, 10).entries()) {
      const others = reference.filter((line) => !line.includes(`:s${i}-`));
      expect(sender.messages.map((m) => `${m.position.seq}:${Buffer.from(m.payload).toString()}`)).toEqual(others);
    }
  });

  it('5. refuses a non-member send with NOT_A_MEMBER, and a removed member stops receiving', async () => {
    const alice = await connect(core, 'g5-alice');
    const bob = await connect(core, 'g5-bob');
    const group = await alice.client.createGroup('five', ['g5-bob']);
    const mallory = await RawConnection.open(`ws://127.0.0.1:${core.port}/ws?token=${tokenFor('g5-mallory')}`);
    mallory.send({ msgR: { msgId: 'intrude', conversation: group.conversation, payload: payload('let me in') } });
    expect((await mallory.next('error')).error).toMatchObject({ code: ErrorCode.NOT_A_MEMBER, msgId: 'intrude' });
    mallory.close();

    await alice.client.sendToConversation(group.conversation, payload('before'));
    await waitFor(() => bob.messages.length >= 1, { timeoutMs: 20_000, what: 'bob to get the first message' });
    await alice.client.changeMembers(group.conversation, { remove: ['g5-bob'] });
    await alice.client.sendToConversation(group.conversation, payload('after'));
    const marker = await alice.client.sendToConversation(group.conversation, payload('after 2'));
    await waitFor(async () => (await metricValue(core, 'parley_delivery_group_fanout_members_total')) > 0, { timeoutMs: 5_000, what: 'fan-out metric' });
    // Give the removed member every chance to (wrongly) receive: wait for alice's ack:N of the last one.
    await waitFor(() => alice.acks.some((a) => a.msgId === marker.msgId), { timeoutMs: 20_000, what: 'ack:N QUEUED of the last message' });
    expect(bob.texts()).toEqual(['before']);
  });

  describe('2. a 5,000-member group over two gateways', () => {
    const sockets: WebSocket[] = [];
    let gatewayA: ParleyServer;
    let gatewayB: ParleyServer;

    afterAll(async () => {
      for (const socket of sockets) socket.terminate();
      await gatewayA?.stop();
      await gatewayB?.stop();
    });

    it('reaches every online member once, with one downlink batch per gateway', async () => {
      gatewayA = await startServer({ ...env, PARLEY_ROLES: 'gateway', PARLEY_GATEWAY_ID: `${env.PARLEY_GATEWAY_ID}-a` });
      gatewayB = await startServer({ ...env, PARLEY_ROLES: 'gateway', PARLEY_GATEWAY_ID: `${env.PARLEY_GATEWAY_ID}-b` });
      const users = Array.from({ length: 5000 }, (_, i) => `big${i}`);
      const received = new Map<string, number>();
      const open = (user: string, port: number) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${tokenFor(user)}`);
          sockets.push(socket);
          socket.on('message', (data: Buffer) => {
            const frame: Frame = decodeFrame(new Uint8Array(data));
            if (frame.packet === 'welcome') resolve();
            if (frame.packet === 'msgN') {
              received.set(user, (received.get(user) ?? 0) + 1);
              socket.send(encodeFrame({ ackR: { conversation: frame.msgN!.conversation, position: frame.msgN!.position } }));
            }
          });
          socket.on('error', reject);
        });
      for (let i = 0; i < users.length; i += 250) {
        await Promise.all(users.slice(i, i + 250).map((user, j) => open(user, (i + j) % 2 === 0 ? gatewayA.port : gatewayB.port)));
      }
      const owner = new RecordingClient(gatewayA.port, 'big-owner');
      clients.push(owner);
      await owner.connect();
      const group = await owner.client.createGroup('fivethousand', users);
      expect(group.members).toHaveLength(5001);

      const before = await metricValue(core, 'parley_delivery_group_fanout_gateway_batches_total');
      const membersBefore = await metricValue(core, 'parley_delivery_group_fanout_members_total');
      await owner.client.sendToConversation(group.conversation, payload('hello, everyone'));
      await waitFor(() => received.size >= 5000, { timeoutMs: 60_000, what: 'all 5,000 members to receive the message' });
      expect([...received.values()].every((count) => count === 1)).toBe(true);
      expect((await metricValue(core, 'parley_delivery_group_fanout_members_total')) - membersBefore).toBe(5001);
      // The cost of the fan-out is the number of gateways holding members, not the members.
      expect((await metricValue(core, 'parley_delivery_group_fanout_gateway_batches_total')) - before).toBe(2);
    });
  });
});
