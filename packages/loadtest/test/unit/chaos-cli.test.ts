// npm run chaos: options, scenario choice and the result file's content.
import { parseChaosArgs } from '../../src/chaos/chaos-cli';
import { formatChaosReport } from '../../src/chaos/chaos-report';
import { sumOfSamples } from '../../src/chaos/local-cluster';
import { SCENARIOS, scenariosNamed } from '../../src/chaos/scenarios';
import type { ScenarioOutcome } from '../../src/chaos/run-chaos';
import { analyzeTimeline, TimelineRecorder } from '../../src/timeline';
import { judgeRun, ReceiptLedger } from '../../src/verdict';
import type { LoadResult } from '../../src/run-load';

describe('chaos options', () => {
  it('picks scenarios and size, refusing unknown scenarios and odd 1:1 connection counts', () => {
    const o = parseChaosArgs(['--only', 'kafka-kill,redis-restart', '--connections', '400', '--rate', '200', '--duration', '30'], '/repo');
    expect(o).toMatchObject({ only: ['kafka-kill', 'redis-restart'], connections: 400, rate: 200, durationSec: 30, outDir: '/repo/bench/results' });
    expect(scenariosNamed(o.only).map((s) => s.name)).toEqual(['kafka-kill', 'redis-restart']);
    expect(scenariosNamed([])).toHaveLength(SCENARIOS.length);
    expect(() => parseChaosArgs(['--only', 'meteor'], '/repo')).toThrow(/unknown scenario meteor/);
    expect(() => parseChaosArgs(['--connections', '3'], '/repo')).toThrow(/even/);
    expect(() => parseChaosArgs(['--rate', '0'], '/repo')).toThrow(/positive/);
  });

  it('covers every fault the contract names, each with a second instance where one must take over', () => {
    const byName = new Map(SCENARIOS.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'delivery-kill', 'delivery-scale', 'delivery-stop', 'gateway-kill', 'gateway-stop', 'kafka-kill', 'kafka-stop', 'redis-restart', 'redis-stop', 'rolling-restart', 'sequencer-kill', 'sequencer-stop',
        'kafka-broker-kill', 'redis-master-kill', 'redis-lost-writes',
      ].sort(),
    );
    // The failovers run on replicated Kafka and Redis Cluster, the other faults on one of each.
    expect(SCENARIOS.filter((s) => s.topology.replicated).map((s) => s.name).sort()).toEqual(['kafka-broker-kill', 'redis-lost-writes', 'redis-master-kill']);
    // A rolling restart replaces every instance of two of each, under load the whole time.
    const rolling = byName.get('rolling-restart')!;
    expect(rolling.topology).toEqual({ gateways: 2, sequencers: 2, deliveries: 2 });
    expect((rolling.minDurationSec ?? 0) * 1000).toBeGreaterThan(rolling.spanMs({ outageMs: 10_000, sessionTimeoutMs: 10_000 }) * 1.4);
    expect(byName.get('gateway-kill')!.topology.gateways).toBe(2);
    expect(byName.get('gateway-stop')!.topology.gateways).toBe(2);
    expect(byName.get('sequencer-kill')!.topology.sequencers).toBe(2);
    expect(byName.get('sequencer-stop')!.topology.sequencers).toBe(2);
    expect(byName.get('delivery-kill')!.topology.deliveries).toBe(2);
    expect(byName.get('delivery-stop')!.topology.deliveries).toBe(2);
    // A SIGSTOP lasts past the session timeout, so the group moves the partitions away.
    expect(byName.get('delivery-stop')!.spanMs({ outageMs: 10_000, sessionTimeoutMs: 10_000 })).toBeGreaterThan(10_000);
  });
});

describe('chaos report', () => {
  it('gives each scenario its verdict line, recovery, windows and the anomalies of a failed load', () => {
    const S = 1_000_000;
    const recorder = new TimelineRecorder();
    for (let t = 100 * S; t < 130 * S; t += 50_000) {
      recorder.sent(t, 1);
      recorder.frameUp(t);
      recorder.delivered(t, (t >= 110 * S && t < 115 * S ? 900 : 10) * 1000);
    }
    const bob = new ReceiptLedger('bob');
    bob.record('d:alice:bob', 'e1', 1, 'alice', 1);
    const verdict = judgeRun([{ from: 'alice', conversation: 'd:alice:bob', receivers: ['bob'] }],
      [{ from: 'alice', conversation: 'd:alice:bob', sent: 2, refused: [], clientSeqReused: 0, unanswered: [], unacked: [2], accepted: [[1, 'e1', 1], [2, 'e1', 2]], positionChanges: 0, reSequenced: 0 }],
      bob.reports(), [bob.counters]);
    const result = {
      passed: false, verdict, frames: { up: {}, down: {}, upPerMessage: 2, downPerMessage: 4 }, retransmits: 3, resyncs: 1, syncs: 5, reconnects: 0,
      errors: { OUT_OF_ORDER: 2 }, timeline: recorder.buckets, sendWindowUs: { startUs: 100 * S, stopUs: 130 * S }, connect: { connected: 2, wanted: 2 }, throughput: { sent: 2 }, drain: { seconds: 1, timedOut: false, quietSeconds: 3 },
      drained: { closed: 40, reconnected: 40, timeToReconnect: { p50: 120, p99: 310, max: 350 } },
    } as unknown as LoadResult;
    const analysis = analyzeTimeline(recorder.buckets, 100 * S, 130 * S, 110 * S);
    const scenario = SCENARIOS.find((s) => s.name === 'kafka-kill')!;
    const outcome: ScenarioOutcome = {
      scenario, size: { connections: 2, rate: 1, durationSec: 30, groupSize: 20, drainMs: 1000 }, faultAtSec: 10, faultEndSec: 20,
      loads: [{ kind: '1:1', result, analysis }], errors: [], notes: ['noted'], events: ['10.0 s: SIGKILL Kafka broker'], seconds: 60,
      counters: { 'inbox restored (group)': 12, 'ack:N repeated': 0 },
    };
    const report = formatChaosReport({ command: 'npm run chaos', startedAt: new Date(0), machine: '2 cores', notes: ['noisy'] }, [outcome], [{ name: 'redis-restart', error: 'boom' }]);
    expect(report).toContain('**0 of 2 scenarios passed.**');
    expect(report).toContain('## kafka-kill: FAIL');
    expect(report).toContain('missing ack:N 1');
    expect(report).toContain('no ack:N: alice #2');
    expect(report).toContain('5.0 s (back under 260 ms p99');
    expect(report).toMatch(/\| 1:1 \| during \| 7\.0 s \|/); // from 2 s before the fault (what was in flight) to the recovery
    expect(report).toContain('| redis-restart | harness failed: boom');
    expect(report).toContain('10.0 s: SIGKILL Kafka broker');
    expect(report).toContain('Note: noted');
    expect(report).toContain('drained by a gateway (4007): 40 links closed, 40 welcomed again; close -> welcome p50 120 ms, p99 310 ms, max 350 ms');
    expect(report).toContain('- services: inbox restored (group) 12\n'); // counters at 0 are left out
    expect(report).toContain('1:1 p99 ms by second: 10 10 10 10 10 10 10 10 10 10 900 900 900 900 900 10');
  });
});

describe('service counters in a chaos report', () => {
  it('sums the samples of one metric whose labels match, and no other metric of a longer name', () => {
    const text = [
      '# HELP parley_delivery_inbox_restored_total help',
      'parley_delivery_inbox_restored_total{kind="direct"} 7',
      'parley_delivery_inbox_restored_total{kind="group"} 12',
      'parley_delivery_inbox_restored_total_other 100',
      'parley_delivery_notices_repeated_total 3',
    ].join('\n');
    expect(sumOfSamples(text, 'parley_delivery_inbox_restored_total', 'kind="group"')).toBe(12);
    expect(sumOfSamples(text, 'parley_delivery_inbox_restored_total')).toBe(19);
    expect(sumOfSamples(text, 'parley_delivery_notices_repeated_total')).toBe(3);
    expect(sumOfSamples(text, 'parley_missing_total')).toBe(0);
  });
});
