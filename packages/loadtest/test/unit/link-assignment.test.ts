// Which gateway and which transport each connection uses: round-robin gateways, and a
// long-poll share that is exact, deterministic and spread over workers, pair ends and groups.
import { gatewayOf, linkTransports } from '../../src/link-assignment';
import { longPollEndpoint } from '../../src/load-link.long-poll';
import { parseLoadArgs } from '../../src/options';
import { buildPlan, ConnectionPlan } from '../../src/plan';

const longPoll = (connections: readonly ConnectionPlan[]): number => connections.filter((c) => c.transport === 'long-poll').length;

describe('linkTransports', () => {
  it('puts exactly round(share × count) connections on long-poll, the same ones every time', () => {
    expect(linkTransports(10, 0)).toEqual(new Array(10).fill('websocket'));
    expect(linkTransports(10, 1)).toEqual(new Array(10).fill('long-poll'));
    for (const [count, share] of [[300, 0.25], [2000, 0.2], [7, 0.5], [1000, 0.333]] as const) {
      const transports = linkTransports(count, share);
      expect(transports.filter((t) => t === 'long-poll')).toHaveLength(Math.round(count * share));
      expect(linkTransports(count, share)).toEqual(transports);
    }
  });

  it('spreads the long-poll connections evenly along the indexes', () => {
    const transports = linkTransports(2000, 0.2);
    for (let from = 0; from < 2000; from += 100) {
      const window = transports.slice(from, from + 100).filter((t) => t === 'long-poll').length;
      expect(Math.abs(window - 20)).toBeLessThanOrEqual(2);
    }
  });
});

describe('the long-poll share in the plan', () => {
  it('gives every worker its exact share, spread over the first and second ends of pairs', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '2000', '--long-poll', '0.2', '--workers', '4', '--run-id', 'r']));
    expect(plan.workers.reduce((n, w) => n + longPoll(w.connections), 0)).toBe(400);
    for (const w of plan.workers) expect(longPoll(w.connections)).toBe(Math.round(0.2 * w.connections.length));
    const all = plan.workers.flatMap((w) => w.connections).sort((a, b) => Number(a.user.split('-')[1]) - Number(b.user.split('-')[1]));
    const firstEnds = longPoll(all.filter((_, i) => i % 2 === 0));
    const secondEnds = longPoll(all.filter((_, i) => i % 2 === 1));
    expect(Math.abs(firstEnds - secondEnds)).toBeLessThanOrEqual(3);
  });

  it('is spread over the members of every group', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '1000', '--scenario', 'groups', '--group-size', '100', '--long-poll', '0.3', '--workers', '3', '--run-id', 'r']));
    const transportOf = new Map(plan.workers.flatMap((w) => w.connections.map((c) => [c.user, c.transport] as const)));
    for (const group of plan.workers.flatMap((w) => w.groups)) {
      const polling = group.members.filter((m) => transportOf.get(m) === 'long-poll').length;
      expect(Math.abs(polling - 30)).toBeLessThanOrEqual(3);
    }
  });

  it('is all WebSocket by default', () => {
    const plan = buildPlan(parseLoadArgs(['--connections', '100', '--workers', '2']));
    expect(plan.workers.every((w) => w.connections.every((c) => c.transport === 'websocket'))).toBe(true);
  });
});

describe('gateways', () => {
  it('deals connections round-robin, so the two ends of a pair sit on different gateways', () => {
    const urls = ['ws://127.0.0.1:8281/ws', 'ws://127.0.0.1:8282/ws'];
    expect([0, 1, 2, 3].map((i) => gatewayOf(urls, i))).toEqual([urls[0], urls[1], urls[0], urls[1]]);
    const plan = buildPlan(parseLoadArgs(['--url', urls.join(','), '--connections', '8', '--workers', '2', '--run-id', 'r']));
    for (const w of plan.workers) {
      for (let i = 0; i + 1 < w.connections.length; i += 2) expect(w.connections[i]!.url).not.toBe(w.connections[i + 1]!.url);
    }
  });

  it('finds the long-poll endpoints beside the WebSocket path', () => {
    expect(longPollEndpoint('ws://127.0.0.1:8281/ws')).toEqual({ host: '127.0.0.1', port: 8281, prefix: '/lp', secure: false });
    expect(longPollEndpoint('ws://[::1]:9000/chat/ws')).toEqual({ host: '::1', port: 9000, prefix: '/chat/lp', secure: false });
    expect(longPollEndpoint('ws://localhost/ws')).toEqual({ host: 'localhost', port: 80, prefix: '/lp', secure: false });
    // wss:// gateways serve their long-poll endpoints over https://, on 443 by default, with the CA given.
    expect(longPollEndpoint('wss://localhost/ws', 'PEM')).toEqual({ host: 'localhost', port: 443, prefix: '/lp', secure: true, ca: 'PEM' });
    expect(longPollEndpoint('wss://127.0.0.1:8443/ws')).toEqual({ host: '127.0.0.1', port: 8443, prefix: '/lp', secure: true });
  });
});
