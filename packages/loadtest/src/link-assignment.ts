// Which gateway and which transport each connection uses: a pure function of the
// connection's index, so every worker and the coordinator agree without talking.
import type { LinkTransport } from './load-link';

/** Connection `index`'s gateway: dealt round-robin, so neighbours (the two ends of a pair, consecutive group members) sit on different gateways. */
export function gatewayOf(urls: readonly string[], index: number): string {
  return urls[index % urls.length]!;
}

/** 1/φ: its multiples modulo 1 are the most evenly spread sequence there is (the golden-ratio, or Weyl, sequence). */
const INVERSE_GOLDEN_RATIO = (Math.sqrt(5) - 1) / 2;

/**
 * The transport of each of `count` connections (one worker's list): exactly
 * round(share × count) of them on long-poll, the ones whose frac((i + 1) / φ) are lowest.
 * That sequence is evenly spread along every arithmetic progression of indexes, so the
 * long-poll connections are spread evenly along the list, over its even and odd places
 * (the first and second ends of pairs) and over any stretch of it (a group's members),
 * with no pattern that lines up with pairs. Neighbours' keys differ by 1/φ ≈ 0.618, so
 * below a share of 1 − 1/φ ≈ 0.38 no two neighbours both poll: every pair is then mixed
 * (one end on each transport) or all WebSocket. Deterministic.
 */
export function linkTransports(count: number, share: number): LinkTransport[] {
  const transports = new Array<LinkTransport>(count).fill('websocket');
  const wanted = Math.round(share * count);
  if (wanted === 0) return transports;
  const key = Float64Array.from({ length: count }, (_, i) => ((i + 1) * INVERSE_GOLDEN_RATIO) % 1);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => key[a]! - key[b]!);
  for (let k = 0; k < wanted; k++) transports[order[k]!] = 'long-poll';
  return transports;
}
