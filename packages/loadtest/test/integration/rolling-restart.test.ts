// A rolling update under load, as `npm run chaos -- --only rolling-restart` runs it but
// smaller: two gateways, two sequencers and two deliveries, each replaced in turn after a
// SIGTERM (gateways drain: their clients move to the other gateway on 4007). Every message
// reaches every receiver exactly once and in order, every sender gets every ack:N, every
// process stops by itself, and the drained clients' reconnect time is measured.
import { runScenario } from '../../src/chaos/run-chaos';
import { rollingRestart } from '../../src/chaos/scenarios';

describe('rolling restart of every service under 1:1 and group load', () => {
  it('loses, duplicates and reorders nothing, and drained clients come back', async () => {
    const outcome = await runScenario(rollingRestart({ drainDelayMs: 500, drainWindowMs: 2_000, minDurationSec: 0 }), {
      connections: 100,
      rate: 50,
      durationSec: 75,
      groupSize: 10,
      drainMs: 60_000,
      outageMs: 4_000,
      sessionTimeoutMs: 10_000,
      log: process.env.PARLEY_TEST_CHAOS_LOG === '1' ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
    expect(outcome.errors).toEqual([]); // every process exited by itself (code 0) and its replacement came up
    expect(outcome.faultEndSec).toBeDefined();
    for (const kind of ['gateway', 'sequencer', 'delivery']) {
      for (const n of [1, 2]) expect(outcome.events.some((e) => e.includes(`${kind} ${n} replaced`))).toBe(true);
    }
    expect(outcome.loads.map((l) => l.kind)).toEqual(['1:1', 'group']);
    for (const { kind, result } of outcome.loads) {
      const v = result.verdict;
      const seen = { kind, lost: v.lost, duplicated: v.duplicated, reordered: v.reordered, missingAckN: v.missingAckN, sharedPositions: v.sharedPositions, refused: v.refused, samples: v.samples.slice(0, 5) };
      expect(seen).toEqual({ kind, lost: 0, duplicated: 0, reordered: 0, missingAckN: 0, sharedPositions: 0, refused: 0, samples: [] });
      expect(result.connect.connected).toBe(result.connect.wanted);
      expect(result.passed).toBe(true);
      // Each gateway held about half the connections when it drained: all of them were closed with 4007 and came back.
      expect(result.drained.closed).toBeGreaterThanOrEqual(result.connect.wanted / 2);
      expect(result.drained.reconnected).toBe(result.drained.closed);
      expect(result.drained.timeToReconnect.p99).toBeGreaterThan(0);
    }
  }, 600_000);
});
