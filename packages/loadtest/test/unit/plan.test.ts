// The plan: who talks to whom, which worker holds whom, which source address each uses.
import { buildPlan, socketsOf, sourceAddresses, streamKey } from '../../src/plan';
import { parseLoadArgs } from '../../src/options';

describe('buildPlan', () => {
  it('pairs users both ways in one conversation, both ends in the same worker', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '8', '--workers', '2', '--run-id', 'r', '--rate', '100']));
    expect(plan.streams.size).toBe(8);
    const s = plan.streams.get(streamKey('ltr-0', 'd:ltr-0:ltr-1'))!;
    expect(s.toUser).toBe('ltr-1');
    expect(s.receivers).toEqual(['ltr-1']);
    for (const w of plan.workers) {
      const users = new Set(w.connections.map((c) => c.user));
      for (const sender of w.senders) expect(users.has(sender.toUser!)).toBe(true);
      expect(w.ratePerSec).toBe(50);
    }
  });

  it('builds groups with S senders whose receivers are the other members, spread over workers', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '10', '--scenario', 'groups', '--group-size', '5', '--group-senders', '2', '--workers', '2', '--run-id', 'r']));
    expect(plan.streams.size).toBe(4);
    expect(plan.workers.flatMap((w) => w.groups).map((g) => g.members.length)).toEqual([5, 5]);
    const s = plan.streams.get(streamKey('ltr-1', 'g:ltr-g0'))!;
    expect(s.receivers).toEqual(['ltr-0', 'ltr-2', 'ltr-3', 'ltr-4']);
    expect(plan.workers[0]!.connections.length).toBe(5);
  });

  it('deals a burst evenly over the senders, the first ones taking one more when it does not divide', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '10', '--scenario', 'groups', '--group-size', '5', '--group-senders', '2', '--workers', '2', '--run-id', 'r', '--burst', '2003']));
    // 4 senders: 501, 501, 501, 500; two in each worker.
    expect(plan.workers.map((w) => w.senders.length)).toEqual([2, 2]);
    expect(plan.workers.map((w) => w.burst)).toEqual([1002, 1001]);
    expect(plan.workers.every((w) => w.ratePerSec === 0)).toBe(true);
    expect(buildPlan(parseLoadArgs(['--connections', '10', '--workers', '2', '--rate', '100'])).workers.map((w) => w.burst)).toEqual([0, 0]);
  });

  it('sends nothing in the idle scenario', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '10', '--scenario', 'idle', '--workers', '1']));
    expect(plan.streams.size).toBe(0);
    expect(plan.workers[0]!.connections.length).toBe(10);
  });
});

describe('sourceAddresses', () => {
  it('spreads loopback sockets over 127.0.0.2.. so each address stays within the ephemeral ports', () => {
    // 6,000 sockets per address: past ~7,000 on one address each bind() gets slow.
    expect(sourceAddresses(['ws://127.0.0.1:8080/ws'], 5_000)).toEqual(['127.0.0.2']);
    expect(sourceAddresses(['ws://127.0.0.1:8080/ws'], 20_000)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
    expect(sourceAddresses(['ws://localhost:8080/ws'], 60_000)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9', '127.0.0.10', '127.0.0.11']);
    expect(sourceAddresses(['ws://127.0.0.1:8080/ws', 'ws://127.0.0.1:8081/ws'], 20_000, 7)).toEqual(['127.0.0.7', '127.0.0.8', '127.0.0.9', '127.0.0.10']);
  });

  it('binds no IPv4 source address when a gateway is on ::1', () => {
    expect(sourceAddresses(['ws://127.0.0.1:8080/ws', 'ws://[::1]:8081/ws'], 100)).toEqual([]);
  });

  it('counts two sockets per long-poll connection', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '30000', '--long-poll', '0.5', '--workers', '3']));
    expect(socketsOf(plan.workers.flatMap((w) => w.connections.map((c) => c.transport)))).toBe(45_000);
    expect(plan.sourceAddresses).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9']);
  });
});
