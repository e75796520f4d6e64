// Tallies: counts kept as numbers and added to their prom-client counter when it is read; every
// reader (get(), the exposition text) sees what inc() would have given it.
import { Counter, Registry } from 'prom-client';
import { tallyOf } from '../../src/tally';

const valueOf = async (counter: Counter<string>, labels: Record<string, string> = {}): Promise<number | undefined> =>
  (await counter.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;

describe('counter tallies', () => {
  it('adds a cell counted N times to its counter as N, once it is read', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'x', registers: [registry] });
    const cell = tallyOf(counter).cell();
    for (let i = 0; i < 7; i += 1) cell.inc();
    cell.inc(3);
    expect(await valueOf(counter)).toBe(10);
    // Read again without new counts: the same value, not counted twice.
    expect(await valueOf(counter)).toBe(10);
    cell.inc();
    expect(await registry.metrics()).toContain('x_total 11');
  });

  it('keeps label sets apart and adds to what inc() counted directly', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'p_total', help: 'p', labelNames: ['type', 'direction'], registers: [registry] });
    const out = tallyOf(counter).keyedBy((type) => ({ type, direction: 'out' }));
    out.get('msg:A').inc();
    out.get('msg:A').inc(2);
    out.get('ack:N').inc();
    tallyOf(counter).cell({ type: 'msg:R', direction: 'in' }).inc(4);
    counter.inc({ type: 'msg:A', direction: 'out' }, 10);
    expect(await valueOf(counter, { type: 'msg:A', direction: 'out' })).toBe(13);
    expect(await valueOf(counter, { type: 'ack:N', direction: 'out' })).toBe(1);
    expect(await valueOf(counter, { type: 'msg:R', direction: 'in' })).toBe(4);
    expect(out.get('msg:A')).toBe(out.get('msg:A'));
  });

  it('is one tally per counter, and keeps a collect the counter already had', async () => {
    const registry = new Registry();
    let collected = 0;
    const counter = new Counter({
      name: 'c_total',
      help: 'c',
      registers: [registry],
      collect() {
        collected += 1;
      },
    });
    expect(tallyOf(counter)).toBe(tallyOf(counter));
    tallyOf(counter).cell().inc(2);
    expect(await valueOf(counter)).toBe(2);
    expect(collected).toBe(1);
  });
});
