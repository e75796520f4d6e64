// How far behind delivery's intake is: the age of the newest record of each handled batch
// (stamped by the gateway that received it). A push whose ack:R may still be waiting in the
// backlog is not re-pushed yet: under overload, re-pushes on timeout would only add load and
// push the acks further back (a re-delivery storm).

import { MAX_POSTPONED_TIMEOUTS } from './redelivery-policy';

/** A pending re-push (one connection's 1:1 attempt, or a group watermark). */
export interface Postponable {
  /** Timeouts in a row that found delivery behind and waited. */
  postponed: number;
}

export interface IntakeLagOptions {
  /** Behind when the newest record handled is older than this (beyond the usual age), in ms. Default 1000. */
  readonly behindAfterMs?: number;
  /** A partition with no batch for this long is idle, not behind, in ms. Default 2000. */
  readonly idleAfterMs?: number;
  /**
   * Largest usual age taken, in ms (a clock offset between gateways and delivery larger than
   * this reads as lag). Default 2000. Without it, a process started on a backlog (a restart after
   * an outage) would take the backlog's age as the usual one and never see itself behind.
   */
  readonly maxUsualLagMs?: number;
}

interface PartitionIntake {
  /** Age of the newest record of the last batch when it was handled, in ms. */
  lagMs: number;
  handledAtMs: number;
}

/**
 * Ages come from two clocks (the gateway's stamp, this process's now): the smallest age seen is
 * taken as the usual one, so a constant clock offset does not read as lag, up to maxUsualLagMs,
 * so a backlog met at start does not read as the usual age.
 */
export class IntakeLag {
  private readonly partitions = new Map<number, PartitionIntake>();
  private usualLagMs = Number.POSITIVE_INFINITY;
  private readonly behindAfterMs: number;
  private readonly idleAfterMs: number;
  private readonly maxUsualLagMs: number;

  constructor(options: IntakeLagOptions = {}) {
    this.behindAfterMs = options.behindAfterMs ?? 1000;
    this.idleAfterMs = options.idleAfterMs ?? 2000;
    this.maxUsualLagMs = options.maxUsualLagMs ?? 2000;
  }

  /** A batch of `partition` was handled at `nowMs`; its newest record was received at `newestReceivedAtMs` (0: unknown). */
  handled(partition: number, newestReceivedAtMs: number, nowMs: number): void {
    if (!(newestReceivedAtMs > 0)) return;
    const lagMs = nowMs - newestReceivedAtMs;
    this.usualLagMs = Math.min(this.usualLagMs, lagMs, this.maxUsualLagMs);
    this.partitions.set(partition, { lagMs, handledAtMs: nowMs });
  }

  /** Whether some partition handled recently is working through records older than the usual age by more than the limit. */
  isBehind(nowMs: number): boolean {
    for (const intake of this.partitions.values()) {
      if (nowMs - intake.handledAtMs > this.idleAfterMs) continue;
      if (intake.lagMs - this.usualLagMs > this.behindAfterMs) return true;
    }
    return false;
  }

  /**
   * At an ack timeout: whether the re-push waits one more timeout (delivery is behind, and it
   * has not waited MAX_POSTPONED_TIMEOUTS times in a row already). Counts the wait, or resets
   * the count when the re-push goes ahead.
   */
  postpones(item: Postponable, nowMs: number): boolean {
    if (item.postponed < MAX_POSTPONED_TIMEOUTS && this.isBehind(nowMs)) {
      item.postponed += 1;
      return true;
    }
    item.postponed = 0;
    return false;
  }
}
