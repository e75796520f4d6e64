// Latency and frames per message before, during and after a fault, and the time to
// recover: the first moment after the fault from which every later half-second of sends
// is delivered in full with a p99 near the pre-fault one.
import { analyzeTimeline, BUCKET_US, mergeTimelines, TimelineRecorder } from '../../src/timeline';

const S = 1_000_000;

/** A run from t=100 s to 130 s: 10 messages per half second, each with `latencyMs(t)`, or lost when it returns undefined. */
function run(latencyMs: (atUs: number) => number | undefined, framesUpPerMessage = 2): TimelineRecorder {
  const r = new TimelineRecorder();
  for (let t = 100 * S; t < 130 * S; t += BUCKET_US / 10) {
    r.sent(t, 1);
    for (let f = 0; f < framesUpPerMessage; f++) r.frameUp(t);
    r.frameDown(t);
    const latency = latencyMs(t);
    if (latency !== undefined) r.delivered(t, latency * 1000);
  }
  return r;
}

describe('timeline', () => {
  it('finds the recovery after a fault and summarizes the three windows', () => {
    const fault = 110 * S;
    const recorder = run((t) => (t < fault ? 10 : t < 118 * S ? 2000 : 12), 2);
    // Two workers' halves merge into one timeline.
    const merged = mergeTimelines([recorder.encode(), run(() => undefined, 0).encode().map((b) => ({ ...b, sent: 0, expected: 0, framesDown: 0 }))]);
    const a = analyzeTimeline(merged, 100 * S, 130 * S, fault);
    expect(a.fault).toBe(true);
    expect(a.baselineP99Ms).toBeCloseTo(10, 1);
    expect(a.thresholdMs).toBeCloseTo(260, 0); // max(2 x 10 ms, 10 ms + 250 ms)
    expect(a.timeToRecoverMs).toBe(8000);
    expect(a.windows.map((w) => w.name)).toEqual(['before', 'during', 'after']);
    const [before, during, after] = a.windows;
    expect(before!.sent).toBe(120); // 102 s .. 108 s: after the warm-up, before what may be in flight at the fault
    expect(during!.latency.p50).toBeCloseTo(2000, -1);
    expect(after!.latency.p99).toBeCloseTo(12, 0);
    expect(before!.framesUpPerMessage).toBe(2);
    expect(before!.framesDownPerMessage).toBe(1);
  });

  it('leaves messages in flight when the fault strikes out of the baseline: they count against the fault', () => {
    const fault = 110 * S;
    // Sent in the last half second before the fault, stuck in it for 12 s.
    const a = analyzeTimeline(run((t) => (t >= fault - S / 2 && t < fault ? 12_000 : 10)).buckets, 100 * S, 130 * S, fault);
    expect(a.baselineP99Ms).toBeCloseTo(10, 1);
    expect(a.windows[1]!.latency.max).toBeCloseTo(12_000, -2);
    expect(a.timeToRecoverMs).toBe(0); // everything sent from the fault on was fine
  });

  it('does not call a run recovered while messages of the last half-seconds are missing', () => {
    const a = analyzeTimeline(run((t) => (t < 129 * S ? 10 : undefined)).buckets, 100 * S, 130 * S, 110 * S);
    expect(a.timeToRecoverMs).toBeUndefined();
    expect(a.windows.map((w) => w.name)).toEqual(['before', 'during']);
  });

  it('recovers at once from a fault nobody noticed, and gives one steady window without a fault', () => {
    const quiet = run(() => 10);
    expect(analyzeTimeline(quiet.buckets, 100 * S, 130 * S, 110 * S).timeToRecoverMs).toBe(0);
    const steady = analyzeTimeline(quiet.buckets, 100 * S, 130 * S);
    expect(steady.windows.map((w) => w.name)).toEqual(['steady']);
    expect(steady.windows[0]!.sent).toBe(560);
  });

  it('puts every record in its own bucket when calls alternate between three buckets', () => {
    const r = new TimelineRecorder();
    const a = 10 * BUCKET_US;
    const b = 11 * BUCKET_US + 5;
    const c = 12 * BUCKET_US + 7;
    for (let i = 0; i < 3; i++) {
      r.frameDown(c);
      r.delivered(a, 1000);
      r.frameDown(b);
      r.delivered(b, 2000);
      r.frameUp(a);
    }
    const of = (n: number) => r.buckets.get(n)!;
    expect([of(10).framesUp, of(10).framesDown, of(10).latency.totalCount]).toEqual([3, 0, 3]);
    expect([of(11).framesUp, of(11).framesDown, of(11).latency.totalCount]).toEqual([0, 3, 3]);
    expect([of(12).framesUp, of(12).framesDown, of(12).latency.totalCount]).toEqual([0, 3, 0]);
    expect(r.buckets.size).toBe(3);
  });
});
