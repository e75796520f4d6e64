// The bench spreads 50,000 idle connections over processes that may hold 20,000 files each:
// every server process gets an even share, and no process (server or client) gets too many.
import { CONNECTIONS_PER_PROCESS, CONNECTIONS_PER_SOURCE_ADDRESS, evenShares, planConnections, processesFor, serverOf } from '../../src/bench/connection-plan';

/** Connections each server receives when every client opens its planned connections. */
function receivedPerServer(total: number, serverProcesses?: number): number[] {
  const plan = planConnections(total, serverProcesses);
  const received = Array.from({ length: plan.serverProcesses }, () => 0);
  for (const client of plan.clients) for (let n = 0; n < client.count; n++) received[serverOf(client, n, plan.serverProcesses)]!++;
  return received;
}

describe('planConnections', () => {
  it('runs 50,000 connections as 3 server processes with even shares, from 3 clients', () => {
    const plan = planConnections(50_000);
    expect(plan.serverProcesses).toBe(3);
    expect(plan.serverShares).toEqual([16_667, 16_667, 16_666]);
    expect(plan.clients.map((c) => c.count)).toEqual([16_667, 16_667, 16_666]);
    expect(plan.clients.map((c) => c.sourceAddresses)).toEqual([3, 3, 3]);
    expect(receivedPerServer(50_000)).toEqual(plan.serverShares);
  });

  it('keeps 10,000 connections on one server, from two clients', () => {
    const plan = planConnections(10_000);
    expect(plan.serverProcesses).toBe(1);
    expect(plan.clients).toEqual([
      { count: 5_000, firstIndex: 0, sourceAddresses: 1 },
      { count: 5_000, firstIndex: 5_000, sourceAddresses: 1 },
    ]);
    expect(receivedPerServer(10_000)).toEqual([10_000]);
  });

  it('gives every process at most CONNECTIONS_PER_PROCESS and every source address at most CONNECTIONS_PER_SOURCE_ADDRESS', () => {
    for (const total of [1, 999, 18_000, 18_001, 36_001, 50_000, 100_003]) {
      const plan = planConnections(total);
      expect(Math.max(...plan.clients.map((c) => c.count))).toBeLessThanOrEqual(CONNECTIONS_PER_PROCESS);
      expect(Math.max(...plan.serverShares)).toBeLessThanOrEqual(CONNECTIONS_PER_PROCESS);
      for (const c of plan.clients) expect(c.count / c.sourceAddresses).toBeLessThanOrEqual(CONNECTIONS_PER_SOURCE_ADDRESS);
      expect(plan.clients.reduce((n, c) => n + c.count, 0)).toBe(total);
      expect(receivedPerServer(total)).toEqual(plan.serverShares);
    }
  });

  it('spreads evenly over servers even when clients and servers differ in number', () => {
    expect(receivedPerServer(1_000, 1)).toEqual([1_000]);
    expect(receivedPerServer(10_001, 4)).toEqual([2_501, 2_500, 2_500, 2_500]);
  });
});

describe('processesFor and evenShares', () => {
  it('rounds up and never returns 0', () => {
    expect([0, 1, 18_000, 18_001, 50_000].map(processesFor)).toEqual([1, 1, 1, 2, 3]);
  });

  it('splits into shares that differ by at most one', () => {
    expect(evenShares(10, 3)).toEqual([4, 3, 3]);
    expect(evenShares(9, 3)).toEqual([3, 3, 3]);
  });
});
