// Redis Cluster runs a Lua script or a MULTI block only when every key it touches is in one
// slot, and a script may only touch the keys it is given. Every adapter runs here on a
// recording connection; each script and transaction it sends is checked: every key given
// shares one slot, and the script's Lua reaches keys only through KEYS[i] it was given.
import { getKeyIndexes } from '@ioredis/commands';
import type Redis from 'ioredis';
import {
  asConnectionId,
  asConversationId,
  asDeviceId,
  asEpoch,
  asGatewayId,
  asMsgId,
  asUserId,
  groupConversationId,
  parley,
} from '@parley/protocol';
import { FakeClock, senderDevice } from '@parley/ports';
import { RedisConversationIndex } from '../../src/conversation-index.redis';
import { RedisDownlink } from '../../src/downlink.redis';
import { RedisInbox } from '../../src/inbox.redis';
import { RedisMembership } from '../../src/membership.redis';
import { RedisMessageStore } from '../../src/message-store.redis';
import { RedisPresence } from '../../src/presence.redis';
import { RedisSeqStore } from '../../src/seq-store.redis';
import { RedisStoreGeneration } from '../../src/store-generation.redis';
import { RedisTokenRevocations } from '../../src/token-revocations.redis';
import { slotOf } from '../../src/slots';
import { connectTestRedis, type TestRedis } from './redis-test-env';

interface ScriptDefinition {
  readonly numberOfKeys: number;
  readonly lua: string;
}
interface Sent {
  /** Script name, or `MULTI`. */
  readonly what: string;
  readonly keys: string[];
}

/** Wraps a connection so scripts defined on it, and scripts and transactions sent through it or its pipelines, are recorded. */
function recording(redis: Redis): { redis: Redis; scripts: Map<string, ScriptDefinition>; sent: Sent[] } {
  const scripts = new Map<string, ScriptDefinition>();
  const sent: Sent[] = [];
  const scriptName = (property: string | symbol): string | undefined => {
    if (typeof property !== 'string') return undefined;
    const name = property.replace(/Buffer$/, '');
    return scripts.has(name) ? name : undefined;
  };
  const recordScripts = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = (object as Record<string | symbol, unknown>)[property];
        if (typeof value !== 'function') return value;
        const name = scriptName(property);
        if (!name) return value.bind(object);
        return (...args: unknown[]) => {
          sent.push({ what: name, keys: args.slice(0, scripts.get(name)!.numberOfKeys).map(String) });
          return value.apply(object, args);
        };
      },
    });
  const recordTransaction = <T extends object>(transaction: T): T => {
    const keys: string[] = [];
    sent.push({ what: 'MULTI', keys });
    return new Proxy(transaction, {
      get(object, property) {
        const value = (object as Record<string | symbol, unknown>)[property];
        if (typeof value !== 'function' || typeof property !== 'string' || property === 'exec') return typeof value === 'function' ? value.bind(object) : value;
        return (...args: Array<string | Buffer | number>) => {
          for (const index of getKeyIndexes(property, args)) keys.push(String(args[index]));
          return value.apply(object, args);
        };
      },
    });
  };
  const wrapped = new Proxy(redis, {
    get(object, property) {
      if (property === 'defineCommand') {
        return (name: string, definition: ScriptDefinition) => {
          scripts.set(name, definition);
          return object.defineCommand(name, definition);
        };
      }
      if (property === 'pipeline') return (...args: []) => recordScripts(object.pipeline(...args));
      if (property === 'multi') return (...args: []) => recordTransaction(recordScripts(object.multi(...args)));
      return recordScripts(object)[property as keyof Redis];
    },
  });
  return { redis: wrapped, scripts, sent };
}

/** Every key a Lua script passes to redis.call / redis.pcall, as written in the source. */
function keyArguments(lua: string): string[] {
  return [...lua.matchAll(/redis\.p?call\(\s*'[A-Za-z]+'\s*,\s*([^,)]+)/g)].map((match) => match[1]!.trim());
}

describe('Redis scripts and transactions on Redis Cluster', () => {
  let test: TestRedis;
  beforeEach(async () => {
    test = await connectTestRedis('script-slots');
  });
  afterEach(async () => {
    await test.close();
  });

  it('give every script and MULTI keys of one slot, and every script uses only the KEYS it is given', async () => {
    const { redis, scripts, sent } = recording(test.redis as Redis);
    const keys = test.keys;
    const clock = new FakeClock();
    const conversation = asConversationId('d:alice:bob');
    const team = groupConversationId('team');
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(asUserId) as [ReturnType<typeof asUserId>, ReturnType<typeof asUserId>, ReturnType<typeof asUserId>];
    const gateway = asGatewayId('gw-1');

    const seqStore = new RedisSeqStore({ redis, keys, clock, retention: { maxMessages: 2, maxAgeMs: 60_000 } });
    const messageStore = new RedisMessageStore({ redis, keys, clock, retention: { maxMessages: 2, maxAgeMs: 60_000 } });
    const request = (target: typeof conversation, msgId: string, clientSeq: number) => ({
      conversation: target,
      msgId: asMsgId(msgId),
      sender: senderDevice(alice, asDeviceId('phone')),
      clientSeq,
      message: parley.v1.StoredMessage.create({ conversation: target, msgId, payload: Buffer.from(msgId), serverTimeMs: clock.now() }),
    });
    // Several conversations (several slots) in one call, and enough messages to trim.
    await seqStore.assign([request(conversation, 'm1', 1), request(team, 't1', 1), request(conversation, 'm2', 2), request(conversation, 'm3', 3)]);
    await messageStore.range(conversation, 0, 10);
    await messageStore.get(conversation, [1, 2, 3]);

    const inbox = new RedisInbox({ redis, keys });
    const stored = (seq: number) => parley.v1.StoredMessage.create({ conversation, msgId: `m${seq}`, position: { epoch: 'e', seq } });
    await inbox.add([{ user: bob, message: stored(1) }, { user: carol, message: stored(1) }, { user: bob, message: stored(2) }]);
    await inbox.page(bob, undefined, 10);
    await inbox.holds([{ user: bob, ref: { conversation, epoch: asEpoch('e'), seq: 1 } }]);
    await inbox.remove(bob, [{ conversation, epoch: asEpoch('e'), seq: 1 }]);

    const presence = new RedisPresence({ redis, keys, clock });
    await presence.register([{ user: bob, gatewayId: gateway, connectionId: asConnectionId('c1') }, { user: carol, gatewayId: gateway, connectionId: asConnectionId('c2') }], 60_000);
    await presence.lookup([bob, carol]);
    await presence.clearGateway(gateway);

    const index = new RedisConversationIndex({ redis, keys });
    await index.touch([{ user: bob, conversation, atMs: 1 }, { user: carol, conversation: team, atMs: 2 }]);
    await index.ack([{ user: bob, conversation, epoch: asEpoch('e'), seq: 1 }, { user: carol, conversation: team, epoch: asEpoch('e'), seq: 1 }]);
    await index.list(bob, 10);
    await index.acked(conversation, [bob, carol]);

    const membership = new RedisMembership({ redis, keys });
    await membership.markRestored();
    expect(await membership.isRestored()).toBe(true);
    await membership.create(team, [alice, bob]);
    await membership.change(team, [carol], [bob]);
    await membership.state(team);
    await membership.areMembers(team, [alice, bob]);
    await membership.restore([{ conversation: team, state: { version: 9, members: [alice] } }, { conversation: groupConversationId('other'), state: { version: 1, members: [bob] } }]);

    const revocations = new RedisTokenRevocations({ redis, keys });
    await revocations.revoke(bob, 100);
    await revocations.revokedBefore(bob);

    const downlink = new RedisDownlink({ redis, keys });
    await downlink.publish(new Map([[gateway, { items: [] }]]));
    await new RedisStoreGeneration({ redis, keys }).read();

    // Every script an adapter defines was sent at least once above.
    expect(new Set(sent.map((s) => s.what).filter((what) => what !== 'MULTI'))).toEqual(new Set(scripts.keys()));
    expect(scripts.size).toBeGreaterThanOrEqual(12);
    for (const { what, keys: given } of sent) {
      expect({ what, slots: [...new Set(given.map(slotOf))].length }).toEqual({ what, slots: given.length === 0 ? 0 : 1 });
    }
    for (const [name, { numberOfKeys, lua }] of scripts) {
      const used = keyArguments(lua);
      expect({ name, used: used.length > 0 }).toEqual({ name, used: true });
      for (const argument of used) {
        const index = /^KEYS\[(\d+)\]$/.exec(argument)?.[1];
        expect({ name, argument, given: index !== undefined && Number(index) >= 1 && Number(index) <= numberOfKeys }).toEqual({ name, argument, given: true });
      }
    }
  });

  it('catches a script given keys of two slots', async () => {
    const { redis, sent } = recording(test.redis as Redis);
    redis.defineCommand('parleyTestTwoSlots', { numberOfKeys: 2, lua: "return redis.call('EXISTS', KEYS[1]) + redis.call('EXISTS', KEYS[2])" });
    await (redis as unknown as Record<string, (...args: string[]) => Promise<unknown>>).parleyTestTwoSlots!(test.keys.inbox(asUserId('a')), test.keys.inbox(asUserId('b')));
    const [call] = sent;
    expect(new Set(call!.keys.map(slotOf)).size).toBe(2);
    expect(keyArguments("redis.call('SET', 'fixed:key', 1) redis.call('GET', KEYS[1])")).toEqual(["'fixed:key'", 'KEYS[1]']);
  });
});
