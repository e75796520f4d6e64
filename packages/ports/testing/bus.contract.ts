/// <reference types="jest" />
// The Bus contract, run over every adapter (memory in unit tests, Kafka in integration tests):
// what the services rely on: every record consumed, per-key order, offsets and headers, redelivery
// of a rejected batch before anything after it, commits surviving a subscriber, consumer groups, lag.
import type { Bus, BusBatch, BusRecord, ConsumedRecord, SubscribeOptions, Subscription } from '@parley/ports';

export interface BusContractFixture {
  readonly bus: Bus;
  /** Unique per call: prefixes every topic and group of one test. Must be valid in Kafka names. */
  readonly namespace: string;
  close(): Promise<void>;
}

export interface BusContractOptions {
  /** Deadline of each wait for a condition, in ms. Default 30000. */
  readonly waitTimeoutMs?: number;
  /** Jest timeout of each test, in ms. Default 120000. */
  readonly testTimeoutMs?: number;
}

/** A record as the suite tags it: `key` and its index `i` among that key's records, in publish order. */
interface Tagged {
  readonly key: string;
  readonly i: number;
  readonly partition: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function record(key: string, i: number): BusRecord {
  return { key, value: encoder.encode(`${key}#${i}`) };
}

/** `count` records for each key, interleaved across keys (k0#0, k1#0, ..., k0#1, ...), from index `from`. */
function records(keys: readonly string[], from: number, count: number): BusRecord[] {
  const out: BusRecord[] = [];
  for (let i = from; i < from + count; i++) for (const key of keys) out.push(record(key, i));
  return out;
}

function tag(batch: BusBatch, r: BusRecord): Tagged {
  const text = decoder.decode(r.value);
  const hash = text.lastIndexOf('#');
  const key = text.slice(0, hash);
  if (hash < 0 || key !== r.key) throw new Error(`record value ${JSON.stringify(text)} does not match key ${r.key}`);
  return { key, i: Number(text.slice(hash + 1)), partition: batch.partition };
}

const id = (t: { key: string; i: number }): string => `${t.key}#${t.i}`;

/** A subscription's per-partition lag, summed. */
const sum = (lag: ReadonlyMap<number, number>): number => [...lag.values()].reduce((a, b) => a + b, 0);

function keysNamed(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, k) => `${prefix}${k}`);
}

/** Every `key#i` for the keys and index range, as a sorted list (for equality checks). */
function expectedIds(keys: readonly string[], from: number, count: number): string[] {
  return records(keys, from, count)
    .map((r) => decoder.decode(r.value))
    .sort();
}

/** Per key, the indices in the order seen. */
function byKey(seen: readonly Tagged[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const t of seen) {
    let list = out.get(t.key);
    if (!list) out.set(t.key, (list = []));
    list.push(t.i);
  }
  return out;
}

/** First occurrence of each record only, order kept: what a deduplicating consumer ends up with. */
function firstSeen(seen: readonly Tagged[]): Tagged[] {
  const ids = new Set<string>();
  return seen.filter((t) => {
    const k = id(t);
    if (ids.has(k)) return false;
    ids.add(k);
    return true;
  });
}

/**
 * One subscriber as the suite drives it: records every handler call, acknowledges (resolves) or
 * rejects on demand, and notes any handler call that overlaps another one of the same partition.
 */
class Recorder {
  /** Every handler call, in call order. */
  readonly calls: { readonly partition: number; readonly records: readonly Tagged[]; readonly rejected: boolean }[] = [];
  /** Records of the calls that resolved, in order. */
  readonly acked: Tagged[] = [];
  readonly overlaps: string[] = [];
  readonly fatal: Error[] = [];
  /** Decides, per call, whether the handler rejects. */
  rejectWhen: (batch: BusBatch, call: number) => boolean = () => false;
  private readonly busy = new Set<number>();

  constructor(readonly name: string) {}

  readonly handler = async (batch: BusBatch): Promise<void> => {
    if (this.busy.has(batch.partition)) {
      this.overlaps.push(`${this.name}: two handler calls in flight for partition ${batch.partition}`);
    }
    this.busy.add(batch.partition);
    try {
      const tagged = batch.records.map((r) => tag(batch, r));
      const call = this.calls.length;
      const reject = this.rejectWhen(batch, call);
      this.calls.push({ partition: batch.partition, records: tagged, rejected: reject });
      // Yield, so that a second call for the same partition (a bug) would start meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (reject) throw new Error(`bus contract: ${this.name} rejects call ${call} on purpose`);
      this.acked.push(...tagged);
    } finally {
      this.busy.delete(batch.partition);
    }
  };

  readonly onFatal = (error: Error): void => {
    this.fatal.push(error);
  };

  /** Distinct records acknowledged, optionally only those with `i >= from`. */
  ackedIds(from = 0): Set<string> {
    return new Set(this.acked.filter((t) => t.i >= from).map(id));
  }

  seenIds(): Set<string> {
    return new Set(this.calls.flatMap((c) => c.records.map(id)));
  }
}

/**
 * Registers the Bus contract suite. `make` is called once per test and returns a bus plus a fresh
 * namespace; topics and groups of that test are named after the namespace.
 */
export function describeBusContract(
  name: string,
  make: () => Promise<BusContractFixture>,
  options: BusContractOptions = {},
): void {
  const waitTimeoutMs = options.waitTimeoutMs ?? 30_000;
  const testTimeoutMs = options.testTimeoutMs ?? 120_000;

  describe(`Bus contract: ${name}`, () => {
    let fixture: BusContractFixture;
    let bus: Bus;
    let ns: string;
    let recorders: Recorder[];
    let subscriptions: Subscription[];

    beforeEach(async () => {
      fixture = await make();
      bus = fixture.bus;
      ns = fixture.namespace;
      recorders = [];
      subscriptions = [];
    }, testTimeoutMs);

    afterEach(async () => {
      await Promise.allSettled(subscriptions.map((s) => s.close()));
      await fixture?.close();
    }, testTimeoutMs);

    async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
      const deadline = Date.now() + waitTimeoutMs;
      for (;;) {
        if (await condition()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${waitTimeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    async function subscribe(
      recorder: Recorder,
      opts: Omit<SubscribeOptions, 'handler' | 'onFatal'>,
    ): Promise<Subscription> {
      recorders.push(recorder);
      const subscription = await bus.subscribe({ ...opts, handler: recorder.handler, onFatal: recorder.onFatal });
      subscriptions.push(subscription);
      return subscription;
    }

    /** What holds after every test, whatever it did: no overlapping calls, no fatal error. */
    function expectHealthy(): void {
      expect(recorders.flatMap((r) => r.overlaps)).toEqual([]);
      expect(recorders.flatMap((r) => r.fatal.map((e) => `${r.name}: ${e.message}`))).toEqual([]);
    }

    /** Each key's records appear in publish order, exactly once, from index `from`, all on one partition. */
    function expectExactlyInKeyOrder(seen: readonly Tagged[], keys: readonly string[], from: number, count: number): void {
      const perKey = byKey(seen);
      for (const key of keys) {
        expect({ key, indices: perKey.get(key) ?? [] }).toEqual({
          key,
          indices: Array.from({ length: count }, (_, n) => from + n),
        });
        const partitions = new Set(seen.filter((t) => t.key === key).map((t) => t.partition));
        expect({ key, partitions: partitions.size }).toEqual({ key, partitions: 1 });
      }
      expect(seen.map(id).sort()).toEqual(expectedIds(keys, from, count));
    }

    /** Each key's records, first occurrences only, appear in increasing index order. */
    function expectKeyOrderIgnoringRepeats(seen: readonly Tagged[], who: string): void {
      for (const [key, indices] of byKey(firstSeen(seen))) {
        const sorted = [...indices].sort((a, b) => a - b);
        expect({ who, key, indices }).toEqual({ who, key, indices: sorted });
      }
    }

    it(
      'delivers every published record once, same-key records on one partition in publish order',
      async () => {
        const topic = `${ns}-all`;
        const keys = keysNamed('k', 6);
        await bus.ensureTopics([{ name: topic, partitions: 3 }]);
        // Half before anyone subscribed (a new group starts at the first record by default),
        // half after, in several publish calls.
        for (let from = 0; from < 10; from += 5) await bus.publish(topic, records(keys, from, 5));
        const a = new Recorder('a');
        await subscribe(a, { topic, group: `${ns}-g` });
        for (let from = 10; from < 20; from += 5) await bus.publish(topic, records(keys, from, 5));

        await until(() => a.ackedIds().size === keys.length * 20, 'all 120 records acknowledged');
        expectExactlyInKeyOrder(a.acked, keys, 0, 20);
        for (const call of a.calls) {
          expect(call.partition).toBeGreaterThanOrEqual(0);
          expect(call.partition).toBeLessThan(3);
          expect(call.records.length).toBeGreaterThan(0);
        }
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'hands each record with its offset (0, 1, 2, ... per partition) and the headers it was published with',
      async () => {
        const topic = `${ns}-meta`;
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        const published: BusRecord[] = [
          { ...record('a', 0), headers: { 'parley-source-topic': 'x.deliver', 'parley-error': 'naïve ✓' } },
          record('a', 1),
          { ...record('b', 0), headers: {} },
          { ...record('a', 2), headers: { one: '1', two: '' } },
        ];
        await bus.publish(topic, published);
        const seen: ConsumedRecord[] = [];
        const partitions = new Map<string, number>();
        const a = new Recorder('a');
        const inner = a.handler;
        await bus.subscribe({
          topic,
          group: `${ns}-g`,
          onFatal: a.onFatal,
          handler: async (batch) => {
            for (const r of batch.records) partitions.set(decoder.decode(r.value), batch.partition);
            seen.push(...batch.records);
            await inner(batch);
          },
        }).then((s) => subscriptions.push(s));
        recorders.push(a);
        await until(() => a.ackedIds().size === 4, 'all 4 records acknowledged');

        const byId = new Map(seen.map((r) => [decoder.decode(r.value), r]));
        expect(byId.get('a#0')!.headers).toEqual({ 'parley-source-topic': 'x.deliver', 'parley-error': 'naïve ✓' });
        expect(byId.get('a#1')!.headers ?? {}).toEqual({});
        expect(byId.get('b#0')!.headers ?? {}).toEqual({});
        expect(byId.get('a#2')!.headers).toEqual({ one: '1', two: '' });
        // Offsets count from 0 in each partition, in publish order.
        const perPartition = new Map<number, string[]>();
        for (const [text, r] of byId) {
          const p = partitions.get(text)!;
          perPartition.set(p, [...(perPartition.get(p) ?? []), r.offset]);
        }
        for (const offsets of perPartition.values()) expect(offsets).toEqual(offsets.map((_, n) => String(n)));
        const bWithA = partitions.get('b#0') === partitions.get('a#0');
        expect(['a#0', 'a#1', 'a#2', 'b#0'].map((t) => byId.get(t)!.offset)).toEqual(bWithA ? ['0', '1', '3', '2'] : ['0', '1', '2', '0']);
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'hands a rejected batch again, before any record after it',
      async () => {
        const topic = `${ns}-retry`;
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        await bus.publish(topic, records(['k'], 0, 10));
        const a = new Recorder('a');
        a.rejectWhen = (_batch, call) => call < 2;
        await subscribe(a, { topic, group: `${ns}-g` });
        await until(() => a.calls.length >= 1, 'the first handler call');
        // Records published while the rejected batch waits for its re-delivery come after it.
        await bus.publish(topic, records(['k'], 10, 5));
        await until(() => a.ackedIds().size === 15, 'all 15 records acknowledged');

        const [first, second, third] = a.calls;
        expect(first!.rejected).toBe(true);
        expect(second!.rejected).toBe(true);
        expect(third!.rejected).toBe(false);
        // Each re-delivery starts with the records of the rejected call, nothing skipped or reordered.
        expect(second!.records.slice(0, first!.records.length).map(id)).toEqual(first!.records.map(id));
        expect(third!.records.slice(0, second!.records.length).map(id)).toEqual(second!.records.map(id));
        expect(first!.records[0]).toEqual({ key: 'k', i: 0, partition: 0 });
        expectExactlyInKeyOrder(a.acked, ['k'], 0, 15);
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'commits a call whose effects settle after it only once they settled, and hands a failed one again, never past it',
      async () => {
        const topic = `${ns}-settle`;
        const group = `${ns}-g`;
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        /** Per call: its records, and whether its effects failed. */
        const calls: Array<{ ids: string[]; failed: boolean }> = [];
        const settledIds = new Set<string>();
        let failFrom = Number.POSITIVE_INFINITY;
        const fatal: Error[] = [];
        const subA = await bus.subscribe({
          topic,
          group,
          onFatal: (e) => fatal.push(e),
          handler: async (batch) => {
            const tagged = batch.records.map((r) => tag(batch, r));
            const failed = tagged.some((t) => t.i >= failFrom);
            calls.push({ ids: tagged.map(id), failed });
            // The effects land a moment after the call ended (or fail then).
            const settled = new Promise<void>((resolve, reject) =>
              setTimeout(() => {
                if (failed) return reject(new Error('bus contract: an effect fails on purpose'));
                for (const t of tagged) settledIds.add(id(t));
                resolve();
              }, 5),
            );
            return { settled };
          },
        });
        subscriptions.push(subA);
        await bus.publish(topic, records(['k'], 0, 5));
        await until(() => settledIds.size === 5, 'the effects of the first 5 records');

        // From record 5 on every effect fails: those records are handed again and again, and
        // nothing from 5 on is ever committed.
        failFrom = 5;
        await bus.publish(topic, records(['k'], 5, 5));
        await until(() => calls.filter((c) => c.failed && c.ids.includes('k#5')).length >= 2, 'record 5 handed again after its effect failed');
        const firstFailed = calls.findIndex((c) => c.failed);
        const again = calls.slice(firstFailed + 1).find((c) => c.ids.includes('k#5'));
        // Handed again from the failed call's first record.
        expect(again!.ids[0]).toBe(calls[firstFailed]!.ids[0]);
        await subA.close();

        const b = new Recorder('b');
        await subscribe(b, { topic, group });
        await until(() => b.ackedIds().size === 5, 'b to acknowledge the 5 records whose effects never settled');
        expectExactlyInKeyOrder(b.acked, ['k'], 5, 5);
        expect(fatal).toEqual([]);
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'resumes a group after its last committed record when a subscriber closes',
      async () => {
        const topic = `${ns}-resume`;
        const group = `${ns}-g`;
        const keys = keysNamed('k', 4);
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        const a = new Recorder('a');
        const subA = await subscribe(a, { topic, group });
        await bus.publish(topic, records(keys, 0, 5));
        await until(() => a.ackedIds().size === 20, 'a to acknowledge the first 20 records');

        // From now on `a` rejects: these records stay uncommitted.
        a.rejectWhen = () => true;
        await bus.publish(topic, records(keys, 5, 5));
        await until(() => a.calls.some((c) => c.rejected), 'a to reject a batch of the next records');
        await subA.close();

        const b = new Recorder('b');
        await subscribe(b, { topic, group });
        await until(() => b.ackedIds().size === 20, 'b to acknowledge the 20 uncommitted records');
        expect([...b.seenIds()].filter((r) => Number(r.split('#')[1]) < 5)).toEqual([]);
        expectExactlyInKeyOrder(b.acked, keys, 5, 5);
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'delivers every record to each consumer group',
      async () => {
        const topic = `${ns}-groups`;
        const keys = keysNamed('k', 4);
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        const one = new Recorder('one');
        const two = new Recorder('two');
        await subscribe(one, { topic, group: `${ns}-g1` });
        await subscribe(two, { topic, group: `${ns}-g2` });
        await bus.publish(topic, records(keys, 0, 10));

        await until(() => one.ackedIds().size === 40 && two.ackedIds().size === 40, 'both groups to acknowledge 40 records');
        expectExactlyInKeyOrder(one.acked, keys, 0, 10);
        expectExactlyInKeyOrder(two.acked, keys, 0, 10);
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'splits the partitions of a group between its subscribers, and moves them when one closes',
      async () => {
        const topic = `${ns}-share`;
        const group = `${ns}-g`;
        const keys = keysNamed('k', 16);
        await bus.ensureTopics([{ name: topic, partitions: 4 }]);
        const a = new Recorder('a');
        const b = new Recorder('b');
        await subscribe(a, { topic, group });
        const subB = await subscribe(b, { topic, group });

        // Phase 1: the group may still be settling (a rebalance may hand a partition over and
        // repeat uncommitted records): every record at least once, per-key order per subscriber.
        await bus.publish(topic, records(keys, 0, 5));
        await until(
          () => new Set([...a.ackedIds(), ...b.ackedIds()]).size === 80,
          'a and b together to acknowledge 80 records',
        );
        if (bus.lag) await until(async () => (await bus.lag!(group, topic)) === 0, 'lag 0 after phase 1');
        expectKeyOrderIgnoringRepeats(a.acked, 'a');
        expectKeyOrderIgnoringRepeats(b.acked, 'b');

        // Phase 2, settled: each record exactly once across the group, both subscribers busy,
        // each key with one subscriber, in order.
        const ackedBefore = { a: a.acked.length, b: b.acked.length };
        await bus.publish(topic, records(keys, 5, 5));
        await until(
          () => new Set([...a.ackedIds(5), ...b.ackedIds(5)]).size === 80,
          'a and b together to acknowledge the 80 records of phase 2',
        );
        const phase2 = { a: a.acked.slice(ackedBefore.a), b: b.acked.slice(ackedBefore.b) };
        expect(phase2.a.length).toBeGreaterThan(0);
        expect(phase2.b.length).toBeGreaterThan(0);
        expectExactlyInKeyOrder([...phase2.a, ...phase2.b], keys, 5, 5);
        const keysOfA = new Set(phase2.a.map((t) => t.key));
        expect(phase2.b.filter((t) => keysOfA.has(t.key))).toEqual([]);

        // Phase 3: b leaves; a takes over all partitions and gets every later record.
        await subB.close();
        const bCallsAtClose = b.calls.length;
        await bus.publish(topic, records(keys, 10, 5));
        await until(() => a.ackedIds(10).size === 80, 'a to acknowledge all 80 records of phase 3');
        expect(b.calls.length).toBe(bCallsAtClose);
        expectKeyOrderIgnoringRepeats(a.acked, 'a');
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      "counts in a subscription's lag only the partitions it owns",
      async () => {
        const topic = `${ns}-ownlag`;
        const group = `${ns}-g`;
        await bus.ensureTopics([{ name: topic, partitions: 4 }]);
        const a = new Recorder('a');
        const b = new Recorder('b');
        a.rejectWhen = () => true;
        const subA = await subscribe(a, { topic, group });
        const subB = await subscribe(b, { topic, group });
        if (!subA.lagByPartition || !subB.lagByPartition) return; // optional capability
        await bus.publish(topic, records(keysNamed('k', 16), 0, 2));
        // Once the group settles, b commits its partitions and a (rejecting) keeps its own.
        await until(async () => b.acked.length > 0 && sum(await subB.lagByPartition!()) === 0, "b's lag to reach 0");
        await until(async () => {
          const [lagA, total] = await Promise.all([subA.lagByPartition!().then(sum), bus.lag!(group, topic)]);
          return lagA > 0 && lagA === total;
        }, "a's lag to be the group's whole lag");
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'starts a new group at the end of the topic when fromBeginning is false',
      async () => {
        const topic = `${ns}-latest`;
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        await bus.publish(topic, records(['old'], 0, 5));
        const a = new Recorder('a');
        await subscribe(a, { topic, group: `${ns}-g`, fromBeginning: false });
        // The starting position may be taken lazily (Kafka: on the first fetch): publish probes
        // until one arrives, then records published afterwards must all arrive.
        let probe = 0;
        await until(async () => {
          if (a.acked.some((t) => t.key === 'probe')) return true;
          await bus.publish(topic, [record('probe', probe++)]);
          await new Promise((resolve) => setTimeout(resolve, 100));
          return a.acked.some((t) => t.key === 'probe');
        }, 'a probe record to arrive');
        await bus.publish(topic, records(['new'], 0, 5));
        await until(() => a.acked.filter((t) => t.key === 'new').length === 5, 'the 5 new records');
        expect(a.acked.filter((t) => t.key === 'old')).toEqual([]);
        expectExactlyInKeyOrder(
          a.acked.filter((t) => t.key === 'new'),
          ['new'],
          0,
          5,
        );
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'reports lag until the group has committed every record',
      async () => {
        if (!bus.lag) return; // optional capability
        const topic = `${ns}-lag`;
        const group = `${ns}-g`;
        const keys = keysNamed('k', 5);
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        await bus.publish(topic, records(keys, 0, 2));
        // A group that never committed lags by every record.
        expect(await bus.lag(group, topic)).toBe(10);

        const a = new Recorder('a');
        let release = false;
        a.rejectWhen = () => !release;
        const subscription = await subscribe(a, { topic, group });
        await until(() => a.calls.length > 0, 'a first (rejected) handler call');
        // Rejected calls commit nothing.
        expect(await bus.lag(group, topic)).toBe(10);
        // The only member owns every partition: its own lag is the group's.
        if (subscription.lagByPartition) {
          await until(async () => sum(await subscription.lagByPartition!()) === 10, "the subscription's lag to read 10");
          // Per partition: both partitions are this member's, each with what was published to it.
          expect([...(await subscription.lagByPartition()).keys()].sort()).toEqual([0, 1]);
        }

        release = true;
        await until(async () => (await bus.lag!(group, topic)) === 0, 'lag to reach 0');
        if (subscription.lagByPartition) await until(async () => sum(await subscription.lagByPartition!()) === 0, "the subscription's lag to reach 0");
        expect(a.ackedIds().size).toBe(10);
        expectHealthy();
      },
      testTimeoutMs,
    );

    /** Everything `readToEnd` hands, tagged, with the batches' shapes checked on the way. */
    async function readAll(topic: string, partitions: number): Promise<Tagged[]> {
      const seen: Tagged[] = [];
      const lastOffset = new Map<number, bigint>();
      await bus.readToEnd(topic, (batch) => {
        expect(batch.topic).toBe(topic);
        expect(batch.partition).toBeGreaterThanOrEqual(0);
        expect(batch.partition).toBeLessThan(partitions);
        expect(batch.records.length).toBeGreaterThan(0);
        for (const r of batch.records) {
          // Offset order within each partition, even across batches.
          const offset = BigInt(r.offset);
          expect(offset > (lastOffset.get(batch.partition) ?? -1n)).toBe(true);
          lastOffset.set(batch.partition, offset);
          seen.push(tag(batch, r));
        }
      });
      return seen;
    }

    it(
      'reads a topic from its first record to its end, each key in publish order, joining no group',
      async () => {
        const topic = `${ns}-read`;
        const keys = keysNamed('k', 6);
        await bus.ensureTopics([{ name: topic, partitions: 3 }]);
        expect(await readAll(topic, 3)).toEqual([]); // an empty topic: nothing, and it ends
        for (let from = 0; from < 20; from += 5) await bus.publish(topic, records(keys, from, 5));

        expectExactlyInKeyOrder(await readAll(topic, 3), keys, 0, 20);
        // Reading again gives the same (nothing was committed), and a group that subscribes
        // afterwards still starts at the first record.
        expectExactlyInKeyOrder(await readAll(topic, 3), keys, 0, 20);
        const a = new Recorder('a');
        await subscribe(a, { topic, group: `${ns}-g` });
        await until(() => a.ackedIds().size === keys.length * 20, 'all 120 records acknowledged by a new group');
        expectHealthy();
      },
      testTimeoutMs,
    );

    it(
      'keeps the latest record of every key of a compacted topic, after any older ones of that key',
      async () => {
        const topic = `${ns}-compacted`;
        const keys = keysNamed('g', 4);
        await bus.ensureTopics([{ name: topic, partitions: 2, compacted: true }]);
        // Enough records per key for an adapter to compact some away (compaction is lazy).
        for (let from = 0; from < 600; from += 100) await bus.publish(topic, records(keys, from, 100));
        await bus.publish(topic, [record('late', 0)]);

        const seen = await readAll(topic, 2);
        for (const [key, indices] of byKey(seen)) {
          // Whatever was compacted away, what is left of a key is in order and ends with its latest.
          expect({ key, sorted: [...indices].sort((x, y) => x - y), last: indices[indices.length - 1] }).toEqual({
            key,
            sorted: indices,
            last: key === 'late' ? 0 : 599,
          });
        }
        expect([...byKey(seen).keys()].sort()).toEqual([...keys, 'late'].sort());
        expectHealthy();
      },
      testTimeoutMs,
    );
  });
}
