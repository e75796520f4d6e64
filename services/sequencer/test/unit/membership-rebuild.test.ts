// Group membership after the store lost its data, on the memory adapters: every applied
// create and change is logged to the compacted groups topic before it is answered, and the
// sequencer rebuilds the member sets from that topic before it sequences or refuses anything.
import { createLogger, createRegistry, Registry } from '@parley/observability';
import { FakeClock, MemoryMembership, MemoryStoreGeneration, MembershipUnavailableError } from '@parley/ports';
import { asGatewayId, decodeFrame, decodeGroupSnapshot, encodeClientPacket, encodeGroupSnapshot, DownlinkBatch, ErrorCode, groupConversationId } from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/composition';
import { topicNames, topicSpecs } from '@parley/runtime';
import { readGroupLog, Sequencer } from '../../src';

const gw = asGatewayId('gw1');
const topics = topicNames('t');
const team = groupConversationId('team');
const club = groupConversationId('club');

let requestCount = 0;
const groupRequest = (from: string, key: string, request: Record<string, unknown>) => ({
  key,
  value: encodeClientPacket({
    origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 },
    frame: { groupR: { requestId: `r${++requestCount}`, ...request } },
  }),
});
const create = (from: string, groupId: string, members: string[]) => groupRequest(from, `g:${groupId}`, { create: { groupId, members } });
const change = (from: string, conversation: string, add: string[], remove: string[] = []) => groupRequest(from, conversation, { change: { conversation, add, remove } });
const list = (from: string, conversation: string) => groupRequest(from, conversation, { list: { conversation } });
const groupSend = (from: string, conversation: string, msgId: string) => ({
  key: conversation,
  value: encodeClientPacket({
    origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 },
    frame: { msgR: { msgId, conversation, payload: Buffer.from(msgId) } },
  }),
});

describe('group membership through a store loss', () => {
  let clock: FakeClock;
  let infra: Infrastructure;
  let membership: MemoryMembership;
  let sequencer: Sequencer;
  let registry: Registry;
  /** Every answer, as `<connection> <what>`. */
  let answers: string[];

  const batch = (...records: Array<{ key: string; value: Uint8Array }>) => sequencer.handleBatch({ topic: topics.send, partition: 0, records });
  const settle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const loseTheStore = () => membership.forget();
  const rebuilds = async () => (await registry.getSingleMetric('parley_sequencer_membership_rebuilds_total')!.get()).values[0]?.value ?? 0;

  beforeEach(async () => {
    clock = new FakeClock();
    infra = createMemoryInfrastructure(clock);
    membership = infra.membership as MemoryMembership;
    await infra.bus.ensureTopics(topicSpecs(topics, 3));
    answers = [];
    await infra.downlink.subscribe(gw, (b: DownlinkBatch) => {
      for (const item of b.items) {
        const frame = decodeFrame(item.frame as Uint8Array);
        if (frame.groupA) answers.push(`${item.connectionId} group:A ${frame.groupA.conversation} ${frame.groupA.members.join(',')}`);
        else if (frame.msgA) answers.push(`${item.connectionId} msg:A ${frame.msgA.msgId}`);
        else if (frame.error) answers.push(`${item.connectionId} error ${frame.error.code} ${frame.error.msgId}`);
      }
    });
    registry = createRegistry();
    sequencer = new Sequencer({ topicPrefix: 't', infrastructure: infra, registry, logger: createLogger('t', 'silent'), clock });
  });
  afterEach(async () => {
    await sequencer.stop();
  });

  it('logs the full state after every applied create and change, and nothing for refusals or lists', async () => {
    await batch(create('alice', 'team', ['bob']), change('alice', 'g:team', ['carol'], ['bob']), list('alice', 'g:team'), create('mallory', 'team', []), change('mallory', 'g:team', ['mallory']));
    const logged = await readGroupLog(infra.bus, topics.groups, createLogger('t', 'silent'));
    expect(logged).toEqual([{ conversation: team, state: { members: ['alice', 'carol'], version: 2 } }]);
    const raw: string[] = [];
    await infra.bus.readToEnd(topics.groups, (b) => {
      for (const r of b.records) {
        const s = decodeGroupSnapshot(r.value);
        raw.push(`${r.key} ${s.members.join(',')} v${s.version}`);
      }
    });
    expect(raw).toEqual(['g:team alice,bob v1', 'g:team alice,carol v2']);
  });

  it('rebuilds exactly the latest state of each group: changed members, a removed member stays removed, the id stays taken', async () => {
    await batch(create('alice', 'team', ['bob', 'carol']), create('dave', 'club', ['erin']));
    await batch(change('alice', 'g:team', ['frank'], ['bob']), change('erin', 'g:club', [], ['dave']), change('erin', 'g:club', ['gina']));
    await batch(groupSend('carol', 'g:team', 'before'));
    await settle();
    answers = [];

    loseTheStore();
    await expect(membership.members(team)).rejects.toBeInstanceOf(MembershipUnavailableError);

    // The first batch after the loss meets the missing groups: rebuilt first, then handled.
    await batch(
      groupSend('alice', 'g:team', 'a1'),
      groupSend('bob', 'g:team', 'b1'), // removed before the loss
      groupSend('frank', 'g:team', 'f1'), // added before the loss
      groupSend('dave', 'g:club', 'd1'), // removed
      groupSend('gina', 'g:club', 'g1'),
      create('mallory', 'team', ['mallory']), // someone else re-creating the id
      list('erin', 'g:club'),
    );
    await settle();
    // Refusals of a run are queued before its msg:A: compared as a set.
    expect([...answers].sort()).toEqual([
      'c-alice msg:A a1',
      `c-bob error ${ErrorCode.NOT_A_MEMBER} b1`,
      'c-frank msg:A f1',
      `c-dave error ${ErrorCode.NOT_A_MEMBER} d1`,
      'c-gina msg:A g1',
      `c-mallory error ${ErrorCode.GROUP_EXISTS} r${requestCount - 1}`,
      'c-erin group:A g:club erin,gina',
    ].sort());
    expect(await membership.state(team)).toEqual({ members: ['alice', 'carol', 'frank'], version: 2 });
    expect(await membership.state(club)).toEqual({ members: ['erin', 'gina'], version: 3 });
    expect(await membership.isRestored()).toBe(true);
    expect(await rebuilds()).toBe(1);
    // Not a group: still unknown after the rebuild (now known not to exist).
    await batch(groupSend('alice', 'g:nothing', 'n1'));
    await settle();
    expect(answers.at(-1)).toBe(`c-alice error ${ErrorCode.NOT_A_MEMBER} n1`);

    // Changes after the rebuild go on from the restored version, and a second loss restores them.
    await batch(change('alice', 'g:team', ['bob']));
    loseTheStore();
    await batch(list('bob', 'g:team'));
    await settle();
    expect(answers.at(-1)).toBe('c-bob group:A g:team alice,bob,carol,frank');
    expect(await membership.state(team)).toEqual({ members: ['alice', 'bob', 'carol', 'frank'], version: 3 });
    expect(await rebuilds()).toBe(2);
  });

  it('reads the latest snapshot of each group from the log: the highest version, the later one on a tie, undecodable records skipped', async () => {
    const snapshot = (conversation: string, members: string[], version: number) => ({ key: conversation, value: encodeGroupSnapshot({ conversation, members, version }) });
    await infra.bus.publish(topics.groups, [
      snapshot('g:team', ['alice', 'bob'], 1),
      snapshot('g:team', ['alice'], 3),
      snapshot('g:team', ['alice', 'carol'], 2), // an older state logged late (a retried batch of another instance)
      snapshot('g:club', ['dave'], 1),
      snapshot('g:club', ['dave', 'erin'], 1), // a create repeated: the later one
      { key: 'g:bad', value: new Uint8Array([0xff, 0xff, 0xff]) },
      snapshot('g:other', ['x'], 1), // under another group's key: skipped
    ].map((r, i) => (i === 6 ? { ...r, key: 'g:elsewhere' } : r)));
    const logged = await readGroupLog(infra.bus, topics.groups, createLogger('t', 'silent'));
    expect(Object.fromEntries(logged.map((g) => [g.conversation, g.state]))).toEqual({
      'g:team': { members: ['alice'], version: 3 },
      'g:club': { members: ['dave', 'erin'], version: 1 },
    });
  });

  it('rebuilds when the store watch reports the loss, before the next batch is handled', async () => {
    await batch(create('alice', 'team', ['bob']));
    await sequencer.start();
    expect(await rebuilds()).toBe(0); // the memory store starts restored
    loseTheStore();
    (infra.storeGeneration as MemoryStoreGeneration).forget();
    await infra.storeWatch.check();
    await settle();
    expect(await rebuilds()).toBe(1);
    expect(await membership.state(team)).toEqual({ members: ['alice', 'bob'], version: 1 });
  });

  it('holds a batch while a rebuild runs: nothing is answered until the groups are back', async () => {
    await batch(create('alice', 'team', ['bob']));
    await sequencer.start();
    answers = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readToEnd = infra.bus.readToEnd.bind(infra.bus);
    jest.spyOn(infra.bus, 'readToEnd').mockImplementation(async (topic, visit) => {
      await gate;
      return readToEnd(topic, visit);
    });
    loseTheStore();
    (infra.storeGeneration as MemoryStoreGeneration).forget();
    await infra.storeWatch.check(); // the rebuild starts, and waits on the gate
    const handled = batch(groupSend('bob', 'g:team', 'b1'), groupSend('mallory', 'g:team', 'm1'), create('mallory', 'team', []));
    await settle();
    expect(answers).toEqual([]);
    release();
    await handled;
    await settle();
    expect([...answers].sort()).toEqual(['c-bob msg:A b1', `c-mallory error ${ErrorCode.NOT_A_MEMBER} m1`, `c-mallory error ${ErrorCode.GROUP_EXISTS} r${requestCount}`].sort());
  });

  it('rebuilds again when the store loses its data during a rebuild (its restored mark would sit in the new, empty store)', async () => {
    await batch(create('alice', 'team', ['bob']), create('carol', 'club', []));
    await sequencer.start();
    const generation = infra.storeGeneration as MemoryStoreGeneration;
    const restore = membership.restore.bind(membership);
    let first = true;
    jest.spyOn(membership, 'restore').mockImplementation(async (groups) => {
      await restore(groups);
      if (!first) return;
      first = false;
      // The store restarts empty again right after the groups went in, before the mark.
      loseTheStore();
      generation.forget();
      await infra.storeWatch.check();
    });
    loseTheStore();
    generation.forget();
    await infra.storeWatch.check();
    await settle();
    await batch(list('bob', 'g:team'));
    await settle();
    expect(await rebuilds()).toBe(2);
    expect(answers.at(-1)).toBe('c-bob group:A g:team alice,bob');
    expect(await membership.state(club)).toEqual({ members: ['carol'], version: 1 });
  });

  it('retries a failed rebuild (bus unavailable) until it succeeds', async () => {
    await batch(create('alice', 'team', ['bob']));
    await sequencer.start();
    const readToEnd = infra.bus.readToEnd.bind(infra.bus);
    let failures = 2;
    jest.spyOn(infra.bus, 'readToEnd').mockImplementation(async (topic, visit) => {
      if (failures-- > 0) throw new Error('bus unavailable');
      return readToEnd(topic, visit);
    });
    loseTheStore();
    (infra.storeGeneration as MemoryStoreGeneration).forget();
    await infra.storeWatch.check();
    await settle();
    // The first attempt failed: a batch now joins the rebuild it starts, which fails too (transient: handed again).
    await expect(batch(groupSend('alice', 'g:team', 'a1'))).rejects.toThrow();
    await settle();
    expect(answers).not.toContain('c-alice msg:A a1');
    clock.advance(1_000); // the retry after the failed rebuild
    await settle();
    expect(await membership.isRestored()).toBe(true);
    await batch(groupSend('alice', 'g:team', 'a1'));
    await settle();
    expect(answers).toContain('c-alice msg:A a1');
  });
});
