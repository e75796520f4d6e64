// What the SeqStore and MessageStore adapters keep and hand out: the default retention
// policy, its validation, the age cutoff, and the checks on a range request.
import type { Seq } from '@parley/protocol';
import type { RetentionPolicy } from './message-store';

/** 10,000 messages or 30 days per conversation, whichever is hit first. */
export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  maxMessages: 10_000,
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
});

/** Returns the policy when both limits are positive safe integers; throws a RangeError naming the bad one. */
export function checkRetention(policy: RetentionPolicy): RetentionPolicy {
  for (const limit of ['maxMessages', 'maxAgeMs'] as const) {
    const value = policy[limit];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`retention ${limit} must be a positive integer, got ${value}`);
    }
  }
  return policy;
}

/**
 * The oldest server time still kept at `nowMs`: a message stamped earlier is gone. Age
 * removes a prefix of the conversation (server times grow with seq, one writer per
 * conversation): once a message is kept, every later one is too, so a message stamped
 * a little early by clock skew never punches a hole in the history.
 */
export function expiryCutoffMs(policy: RetentionPolicy, nowMs: number): number {
  return nowMs - policy.maxAgeMs;
}

/** Throws a RangeError unless `afterSeq` is a seq or 0 and `limit` is at least 1. */
export function checkRangeRequest(afterSeq: Seq, limit: number): void {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new RangeError(`range afterSeq must be >= 0, got ${afterSeq}`);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`range limit must be >= 1, got ${limit}`);
}
