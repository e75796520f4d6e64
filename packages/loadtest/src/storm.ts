// Reconnect storms: when they strike, which connections they cut, and how a cut client
// waits before reconnecting. Pure (randomness is passed in), so it is tested without sockets.
import { fullJitterMs } from '@parley/protocol';

/** A random number in [0, 1), like Math.random. */
export type Random = () => number;

/** Client reconnect backoff: PROTOCOL.md "Heartbeat" (exponential, full jitter, reset after a welcome). */
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 10_000;
/** After a 4007 DRAINING close: no backoff, a jitter below this (PROTOCOL.md "Draining"), as the SDK. */
export const DRAINED_RECONNECT_JITTER_MS = 300;

/**
 * Delay before reconnect attempt number `attempt` (0: the first after a welcomed link
 * dropped): `random(0, min(max, base × 2^attempt))` in whole milliseconds, as the SDK waits.
 */
export function reconnectDelayMs(attempt: number, random: Random = Math.random): number {
  return fullJitterMs({ minDelayMs: RECONNECT_BASE_MS, maxDelayMs: RECONNECT_MAX_MS }, attempt, random);
}

/**
 * When storms strike, in milliseconds after sending starts: every `everySec` seconds
 * strictly inside the sending window, or once at mid-run when `everySec` is 0. A storm
 * at or after the end would only test the drain, so none is scheduled there.
 */
export function stormOffsetsMs(durationSec: number, everySec: number): number[] {
  const durationMs = durationSec * 1000;
  if (durationMs <= 0) return [];
  if (everySec <= 0) return [durationMs / 2];
  const offsets: number[] = [];
  for (let at = everySec * 1000; at < durationMs; at += everySec * 1000) offsets.push(at);
  return offsets;
}

/**
 * Which of `candidates` (indexes of the connections that are up) a storm of `percent`
 * cuts: round(percent% of them), chosen uniformly without repeats (partial Fisher-Yates).
 */
export function pickStormVictims(candidates: readonly number[], percent: number, random: Random = Math.random): number[] {
  const pool = [...candidates];
  const count = Math.min(pool.length, Math.round((pool.length * percent) / 100));
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
