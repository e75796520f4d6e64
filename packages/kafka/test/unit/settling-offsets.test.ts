import { SettlingOffsets } from '../../src/settling-offsets';

/** A settle promise resolved or rejected from the test. */
function effect() {
  let settle!: () => void;
  let fail!: (error: unknown) => void;
  const settled = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { settled, settle, fail };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function tracker() {
  const failures: Array<{ partition: number; offset: string; error: unknown }> = [];
  const settledPartitions: number[] = [];
  const offsets = new SettlingOffsets(
    't',
    (partition, offset, error) => failures.push({ partition, offset, error }),
    (partition) => settledPartitions.push(partition),
  );
  /** Durable positions not yet committed, by partition. */
  const pending = () => Object.fromEntries((offsets.uncommitted().topics[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
  return { offsets, failures, settledPartitions, pending };
}

describe('SettlingOffsets', () => {
  it('moves the commit position only over calls whose effects settled, in offset order', async () => {
    const { offsets, pending } = tracker();
    const a = effect();
    const b = effect();
    expect(offsets.handled(0, offsets.epochOf(0), '0', '4', a.settled)).toBe(true);
    expect(offsets.handled(0, offsets.epochOf(0), '5', '9', b.settled)).toBe(true);
    expect(pending()).toEqual({});
    b.settle(); // the later call settled first: nothing is durable before a's records are
    await flush();
    expect(pending()).toEqual({});
    a.settle();
    await flush();
    expect(pending()).toEqual({ 0: '10' });
    // A call without settling effects is durable when reported, behind the ones still settling.
    const c = effect();
    offsets.handled(0, offsets.epochOf(0), '10', '10', c.settled);
    offsets.handled(0, offsets.epochOf(0), '11', '12');
    expect(pending()).toEqual({ 0: '10' });
    c.settle();
    await flush();
    expect(pending()).toEqual({ 0: '13' });
  });

  it('keeps partitions apart and reports what was committed only once', async () => {
    const { offsets, pending } = tracker();
    offsets.handled(0, offsets.epochOf(0), '0', '1');
    offsets.handled(3, offsets.epochOf(3), '7', '8');
    expect(pending()).toEqual({ 0: '2', 3: '9' });
    offsets.committed(offsets.uncommitted());
    expect(offsets.uncommitted()).toEqual({ topics: [] });
    offsets.handled(3, offsets.epochOf(3), '9', '9');
    expect(pending()).toEqual({ 3: '10' });
  });

  it('a failed effect hands the partition again from the first record not durable, and nothing after it counts', async () => {
    const { offsets, failures, pending } = tracker();
    const a = effect();
    const b = effect();
    const c = effect();
    offsets.handled(0, offsets.epochOf(0), '0', '1');
    offsets.handled(0, offsets.epochOf(0), '2', '3', a.settled);
    offsets.handled(0, offsets.epochOf(0), '4', '5', b.settled);
    // A call that began before the failure and ends after it:
    const lateEpoch = offsets.epochOf(0);
    offsets.handled(0, offsets.epochOf(0), '6', '7', c.settled);
    b.fail(new Error('produce failed'));
    await flush();
    expect(failures).toEqual([{ partition: 0, offset: '2', error: new Error('produce failed') }]);
    // a settling later (and c) moves nothing: their records are handed again from offset 2.
    a.settle();
    c.settle();
    await flush();
    expect(pending()).toEqual({ 0: '2' });
    expect(offsets.handled(0, lateEpoch, '8', '9')).toBe(false);
    expect(pending()).toEqual({ 0: '2' });
    // Handed again from 2: counted in the new epoch.
    offsets.handled(0, offsets.epochOf(0), '2', '9');
    expect(pending()).toEqual({ 0: '10' });
    expect(failures).toHaveLength(1);
  });

  it('a dropped call\'s failing effect is not an unhandled rejection and reports nothing', async () => {
    const { offsets, failures } = tracker();
    const epoch = offsets.epochOf(1);
    offsets.rejoined();
    const late = effect();
    expect(offsets.handled(1, epoch, '0', '0', late.settled)).toBe(false);
    late.fail(new Error('lost'));
    await flush();
    expect(failures).toEqual([]);
  });

  it('after a rebalance, positions start over and effects from before count for nothing', async () => {
    const { offsets, failures, pending } = tracker();
    const a = effect();
    offsets.handled(0, offsets.epochOf(0), '0', '0');
    offsets.handled(0, offsets.epochOf(0), '1', '1', a.settled);
    offsets.rejoined();
    expect(pending()).toEqual({});
    a.fail(new Error('after the rebalance'));
    await flush();
    expect(failures).toEqual([]);
    offsets.handled(0, offsets.epochOf(0), '1', '4');
    expect(pending()).toEqual({ 0: '5' });
  });

  it('idle() waits for every effect reported, failed ones included', async () => {
    const { offsets, settledPartitions } = tracker();
    const a = effect();
    const b = effect();
    offsets.handled(0, offsets.epochOf(0), '0', '0', a.settled);
    offsets.handled(1, offsets.epochOf(1), '0', '0', b.settled);
    let idle = false;
    const waiting = offsets.idle().then(() => (idle = true));
    a.settle();
    await flush();
    expect(idle).toBe(false);
    b.fail(new Error('x'));
    await waiting;
    expect(idle).toBe(true);
    expect(settledPartitions).toEqual([0]);
  });
});
