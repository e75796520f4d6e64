// What a chaos scenario must show for both loads: the whole contract, with what went wrong in
// the failure message (the first samples the verdict kept).
import type { ScenarioOutcome } from '../../src/chaos/run-chaos';

export function expectContractKept(outcome: ScenarioOutcome): void {
  expect(outcome.errors).toEqual([]);
  expect(outcome.faultAtSec).toBeDefined();
  expect(outcome.loads.map((l) => l.kind)).toEqual(['1:1', 'group']);
  for (const { kind, result } of outcome.loads) {
    const v = result.verdict;
    const seen = {
      kind, lost: v.lost, duplicated: v.duplicated, reordered: v.reordered, missingAckN: v.missingAckN, sharedPositions: v.sharedPositions,
      clientSeqReused: v.clientSeqReused, refused: v.refused, samples: v.samples.slice(0, 5),
    };
    expect(seen).toEqual({ kind, lost: 0, duplicated: 0, reordered: 0, missingAckN: 0, sharedPositions: 0, clientSeqReused: 0, refused: 0, samples: [] });
    expect(result.connect.connected).toBe(result.connect.wanted);
    expect(result.throughput.sent).toBeGreaterThan(0);
    expect(v.detail.expectedDeliveries).toBeGreaterThan(0);
    expect(result.passed).toBe(true);
  }
}
