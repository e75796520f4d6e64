// The client's counters: the ClientStats shape the application reads, and the three
// counters that several parts bump (the others are read from the part that owns them).

export interface ClientStats {
  /** msg:R copies sent beyond the first of each message (timeouts, retryable errors, reconnects). */
  readonly retransmits: number;
  /** Incoming messages acked but not delivered again (same position, or same sender and msgId). */
  readonly duplicatesDropped: number;
  /** ack:R frames sent (1:1: one per msg:N received, duplicates included; groups: cumulative, at most one per conversation per groupAckIntervalMs). */
  readonly acksSent: number;
  /** Connection attempts scheduled after a lost or failed link. */
  readonly reconnects: number;
  /** Frames that did not decode, lacked a field the client needs, or are not meant for clients. */
  readonly malformedFrames: number;
  /** Sends awaiting msg:A or ack:N. */
  readonly pendingSends: number;
  /** Messages held until a missing seq arrives. */
  readonly bufferedMessages: number;
  /** Live messages held until the offline pull ends. */
  readonly parkedMessages: number;
  /** Group, sync and conversations requests waiting for their answer. */
  readonly pendingRequests: number;
  /** Conversations being synced (sync:R) or waiting for their turn. */
  readonly activeSyncs: number;
  /** New epochs entered without a sync reaching them, after waiting the bound (5 minutes): an old-epoch message may have come late. */
  readonly epochWaitsExpired: number;
}

/** Counts shared by the parts that bump them: one instance per client. */
export class ClientCounters {
  /** See ClientStats.acksSent: bumped for 1:1 acks and for every group ack handed to a link. */
  acksSent = 0;
  /** See ClientStats.reconnects. */
  reconnects = 0;
  /** See ClientStats.malformedFrames: undecodable frames and the malformed entries of pages. */
  malformedFrames = 0;
}
