import { FakeClock } from '@parley/ports';
import { RepushBudget } from '../../src/repush-budget';

describe('RepushBudget', () => {
  it('lets a burst through at once, then the rest in order at the refill rate', () => {
    const clock = new FakeClock();
    const budget = new RepushBudget(clock, { perSecond: 100, burst: 100 });
    const ran: number[] = [];
    for (let i = 0; i < 1_000; i += 1) budget.submit(() => ran.push(i) > 0);
    expect(ran.length).toBe(100);
    expect(budget.queued).toBe(900);
    clock.advance(1_000);
    expect(ran.length).toBe(200);
    clock.advance(8_000);
    expect(ran.length).toBe(1_000);
    expect(ran).toEqual([...Array(1_000).keys()]); // first due, first sent: none starves
    expect(budget.queued).toBe(0);
  });

  it('never holds more than the burst after a quiet spell', () => {
    const clock = new FakeClock();
    const budget = new RepushBudget(clock, { perSecond: 50, burst: 20 });
    clock.advance(60_000);
    let ran = 0;
    for (let i = 0; i < 100; i += 1) budget.submit(() => (ran += 1) > 0);
    expect(ran).toBe(20);
  });

  it('lets a re-push larger than the burst go, and makes the following ones wait it off', () => {
    const clock = new FakeClock();
    const budget = new RepushBudget(clock, { perSecond: 10, burst: 10 });
    expect(budget.submit(() => true, 40)).toBe(true); // a group re-push of 40 messages: 30 borrowed
    let ran = false;
    expect(budget.submit(() => (ran = true))).toBe(false);
    clock.advance(3_000); // 3 s of refill pay the debt back to 0
    expect(ran).toBe(false);
    clock.advance(100);
    expect(ran).toBe(true);
  });

  it('does not spend the budget on a re-push no longer wanted when its turn came', () => {
    const clock = new FakeClock();
    const budget = new RepushBudget(clock, { perSecond: 1, burst: 1 });
    const ran: string[] = [];
    budget.submit(() => ran.push('a') > 0);
    budget.submit(() => false); // acked while it waited
    budget.submit(() => ran.push('c') > 0);
    clock.advance(1_000);
    expect(ran).toEqual(['a', 'c']);
  });

  it('drops what waits when cleared', () => {
    const clock = new FakeClock();
    const budget = new RepushBudget(clock, { perSecond: 1, burst: 1 });
    let ran = 0;
    budget.submit(() => (ran += 1) > 0);
    budget.submit(() => (ran += 1) > 0);
    budget.clear();
    clock.advance(10_000);
    expect(ran).toBe(1);
    expect(budget.queued).toBe(0);
  });

  it('refuses settings that would never let a re-push through', () => {
    expect(() => new RepushBudget(new FakeClock(), { perSecond: 0 })).toThrow();
    expect(() => new RepushBudget(new FakeClock(), { perSecond: 10, burst: 0.5 })).toThrow();
  });
});
