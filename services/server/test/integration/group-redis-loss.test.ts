// A group whose members keep talking while Redis restarts EMPTY (no persistence): the member
// sets, the group's existence and its removals come back from the compacted groups topic
// before anything is sequenced or fanned out again. Every member still sends and receives
// (no NOT_A_MEMBER, which would make the SDK give a message up), a removed member and a
// stranger are still refused, nobody can re-create the group id, and every message is shown
// once, in send order within each epoch, the same order at every member.
import { ErrorCode } from '@parley/protocol';
import { RedisServerHandle, startRedisServer, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { payload, RawConnection, realEnv, RecordingClient, startServer, tokenFor } from './harness';

const metricValue = async (server: ParleyServer, name: string): Promise<number> => {
  const text = await server.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('a group through Redis restarted empty', () => {
  let redis: RedisServerHandle;
  let server: ParleyServer | undefined;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    server = await startServer(realEnv('grouploss', { PARLEY_REDIS_URL: redis.url, PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '2000' }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
    await redis?.stop();
  });

  const connect = async (user: string) => {
    const client = new RecordingClient(server!.port, user, { ackTimeoutMs: 120_000, backoff: { minDelayMs: 100, maxDelayMs: 500 } });
    clients.push(client);
    return client.connect();
  };

  it('every member still sends and receives, once and in order; a removed member and a stranger are refused; the id stays taken', async () => {
    const names = ['gl-alice', 'gl-bob', 'gl-carol'];
    const members = await Promise.all(names.map(connect));
    const [alice, bob] = members as [RecordingClient, RecordingClient, RecordingClient];
    const created = await alice.client.createGroup('crew', ['gl-bob', 'gl-carol', 'gl-dave']);
    const group = created.conversation;
    // A change after the create: the rebuild must restore the latest state, dave removed.
    expect((await alice.client.changeMembers(group, { remove: ['gl-dave'] })).members).toEqual(names);

    const sent = new Map<string, string[]>(names.map((n) => [n, []]));
    const failures: unknown[] = [];
    let streaming = true;
    const streams = members.map(async (member, m) => {
      for (let i = 0; streaming; i += 1) {
        const text = `${names[m]}-${String(i).padStart(4, '0')}`;
        sent.get(names[m]!)!.push(text);
        // Not awaited one by one: the SDK keeps its own order; a non-retryable refusal rejects.
        member.client.sendToConversation(group, payload(text)).catch((err: unknown) => failures.push(err));
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    });
    const othersSent = (m: number) => names.filter((_, i) => i !== m).reduce((n, name) => n + sent.get(name)!.length, 0);
    await waitFor(() => members.every((member) => member.messages.length >= 20), { timeoutMs: 30_000, what: 'the group under way' });

    const rebuildsBefore = await metricValue(server!, 'parley_sequencer_membership_rebuilds_total');
    const restartedAt = Date.now();
    await redis.restart(); // same port, every key gone: members, the group marker, everything
    await waitFor(async () => (await metricValue(server!, 'parley_sequencer_membership_rebuilds_total')) > rebuildsBefore, {
      timeoutMs: 20_000,
      what: 'the membership rebuilt from the groups topic',
    });
    const rebuiltInMs = Date.now() - restartedAt;
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the group keeps talking after the heal
    streaming = false;
    await Promise.all(streams);

    await waitFor(() => members.every((member, m) => new Set(member.texts()).size >= othersSent(m)), {
      timeoutMs: 60_000,
      what: 'every member to hold every message of the others',
    });
    expect(failures).toEqual([]);
    const byPosition = new Map<string, string>();
    for (const [m, member] of members.entries()) {
      const expected = names.filter((_, i) => i !== m).flatMap((name) => sent.get(name)!);
      const texts = member.texts();
      // Once each (the SDK drops a retransmit sequenced again after the loss).
      expect([...texts].sort()).toEqual([...expected].sort());
      // Each sender's messages in send order within each epoch; one message per position, the same at every member.
      const byEpoch = new Map<string, Map<string, string[]>>();
      for (const message of member.messages) {
        const text = Buffer.from(message.payload).toString();
        const sender = text.slice(0, text.lastIndexOf('-'));
        const epoch = String(message.position.epoch);
        const perSender = byEpoch.get(epoch) ?? new Map<string, string[]>();
        perSender.set(sender, [...(perSender.get(sender) ?? []), text]);
        byEpoch.set(epoch, perSender);
        const position = `${epoch}:${message.position.seq}`;
        expect({ position, text: byPosition.get(position) ?? text }).toEqual({ position, text });
        byPosition.set(position, text);
      }
      expect(byEpoch.size).toBe(2); // the counter restarted in a new epoch
      for (const perSender of byEpoch.values()) for (const list of perSender.values()) expect(list).toEqual([...list].sort());
    }

    // After the loss as before it: bob lists the restored members, dave (removed before the
    // loss) and a stranger are refused, and nobody can take the id.
    expect((await bob.client.listMembers(group)).members).toEqual(names);
    for (const outsider of ['gl-dave', 'gl-mallory']) {
      const raw = await RawConnection.open(`ws://127.0.0.1:${server!.port}/ws?token=${tokenFor(outsider)}`);
      raw.send({ msgR: { msgId: 'intrude', conversation: group, payload: payload('let me in') } });
      expect((await raw.next('error', (f) => f.error?.msgId === 'intrude')).error).toMatchObject({ code: ErrorCode.NOT_A_MEMBER });
      raw.send({ groupR: { requestId: 'steal', create: { groupId: 'crew', members: [outsider] } } });
      expect((await raw.next('error', (f) => f.error?.msgId === 'steal')).error).toMatchObject({ code: ErrorCode.GROUP_EXISTS });
      raw.close();
    }
    const total = [...sent.values()].reduce((n, list) => n + list.length, 0);
    process.stderr.write(`[group-redis-loss] ${total} group messages across the loss, none refused; membership rebuilt ${rebuiltInMs} ms after the restart\n`);
  });
});
