// The sequencer: one writer per conversation (the owner of the conversation's
// partition of the send topic). For each batch it assigns (epoch, seq) to every
// msg:R (deduplicated by msgId, in its device's client_seq order), stores the messages,
// forwards them to delivery and answers each sender with msg:A (or why it was refused). The batch's offsets are committed only after all
// of that succeeded, so a crash and replay never loses or renumbers a message.
import { assertNever, ConversationId, errorCodeName, isGroupConversation } from '@parley/protocol';
import { DownlinkBatcher, isPositioned, type BusBatch, type BusRecord, type Clock, type SettlingBatch } from '@parley/ports';
import { Logger, Registry, sharedMetrics, SharedMetrics, tallyOf, type KeyedCells } from '@parley/observability';
import { StageConsumer, topicNames, Topics, UnheardRepeats } from '@parley/runtime';
import { GroupRequest, readSendEnvelope, SendRequest, sendRequester } from './send-envelope';
import { acceptedAnswer, answerTarget, notAMemberAnswer, orderRefusal, sequencedRecord } from './send-outcomes';
import { applyGroupRequest } from './group-requests';
import { groupChangedRecord, groupSnapshotRecord } from './group-log';
import { MembershipRebuild } from './membership-rebuild';
import { sequencerMetrics, SequencerMetrics } from './sequencer-metrics';
import type { SequencerPorts } from './sequencer-ports';

export interface SequencerOptions {
  readonly topicPrefix: string;
  /** The adapters the sequencer uses (not the process's whole set). */
  readonly infrastructure: SequencerPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Largest group (members). Default DEFAULT_MAX_GROUP_MEMBERS. */
  readonly maxGroupMembers?: number;
  /** Records waiting and no batch finished for this long = stalled (unhealthy, then onFatal), in ms. */
  readonly stallMs?: number;
  /** Called when the bus consumer stopped for good or stalled. Default: exit the process. */
  readonly onFatal?: (error: Error) => void;
  /** Publish group.changed for the server API's webhooks (PARLEY_APP_EVENTS). Default false. */
  readonly appEvents?: boolean;
}

export class Sequencer {
  private readonly topics: Topics;
  private readonly metrics: SequencerMetrics;
  private readonly shared: SharedMetrics;
  /** `parley_packets_total{direction="out"}` and the messages by result, counted per batch as numbers (tally.ts). */
  private readonly packetsOut: KeyedCells;
  private readonly assigned: KeyedCells;
  private readonly consumer: StageConsumer;
  /** msg:A nobody heard (the gateway's downlink subscription re-opening) is published again with backoff. */
  private readonly repeats: UnheardRepeats;
  /** Puts the groups back from the groups topic after a store loss; batches wait for it. */
  private readonly rebuild: MembershipRebuild;

  constructor(private readonly options: SequencerOptions) {
    this.topics = topicNames(options.topicPrefix);
    this.metrics = sequencerMetrics(options.registry);
    this.shared = sharedMetrics(options.registry);
    this.packetsOut = tallyOf(this.shared.packets).keyedBy((type) => ({ type, direction: 'out' }));
    this.assigned = tallyOf(this.metrics.assigned).keyedBy((result) => ({ result }));
    this.repeats = new UnheardRepeats({
      clock: options.clock,
      logger: options.logger,
      downlink: options.infrastructure.downlink,
      repeated: this.metrics.answersRepeated,
      what: 'msg:A',
    });
    this.rebuild = new MembershipRebuild({
      bus: options.infrastructure.bus,
      topic: this.topics.groups,
      membership: options.infrastructure.membership,
      clock: options.clock,
      logger: options.logger,
      rebuilds: this.metrics.membershipRebuilds,
    });
    this.consumer = new StageConsumer({
      stage: 'sequencer',
      topicPrefix: options.topicPrefix,
      bus: options.infrastructure.bus,
      downlink: options.infrastructure.downlink,
      handler: (batch) => this.rebuild.whenRestored(() => this.sequenceBatch(batch)),
      requesterOf: sendRequester,
      stallMs: options.stallMs,
      onFatal: options.onFatal,
      registry: options.registry,
      logger: options.logger,
      clock: options.clock,
    });
  }

  get ready(): boolean {
    return this.consumer.ready;
  }

  /** False once its consumer stalled (/healthz). */
  get healthy(): boolean {
    return this.consumer.healthy;
  }

  async start(): Promise<void> {
    const { storeWatch } = this.options.infrastructure;
    // A lost counter starts a new epoch by itself; lost groups are rebuilt from the groups topic.
    this.rebuild.start(storeWatch);
    await storeWatch.start();
    await this.consumer.start();
  }

  /**
   * The graceful stop: the consumer stops fetching, finishes the batch in hand, commits it
   * and leaves its group (the partitions move to another sequencer at once), then the
   * repeats of msg:A and the membership rebuild stop.
   */
  async stop(): Promise<void> {
    await this.consumer.close();
    this.repeats.stop();
    this.rebuild.stop();
  }

  /**
   * Exposed for tests: processes one batch of the send topic, once the store holds every
   * group (after a store loss: once they are rebuilt from the groups topic).
   */
  async handleBatch(batch: BusBatch): Promise<void> {
    const handled = await this.rebuild.whenRestored(() => this.sequenceBatch(batch));
    if (handled) await handled.settled;
  }

  /**
   * Sequences a batch: what the next batch reads (positions, dedupe, client_seq order,
   * memberships) is written when this resolves. A batch of sends only resolves with the
   * forward to delivery and the senders' answers still on their way (SettlingBatch): the
   * publish is queued in order behind the producer's request in flight, the answers follow
   * it, and the bus commits the batch only once both are done. A batch with a group change
   * waits for them itself (a rebuild after a store loss reads the groups topic).
   */
  private async sequenceBatch(batch: BusBatch): Promise<SettlingBatch | undefined> {
    const endTimer = this.metrics.batchSeconds.startTimer();
    const now = this.options.clock.now();
    const work = new BatchWork();
    // msg:R records are sequenced in runs; a group:R ends a run, so a membership change
    // applies exactly between the messages before it and those after it.
    let run: SendRequest[] = [];
    for (const record of batch.records) {
      const envelope = readSendEnvelope(record.value, now);
      switch (envelope.kind) {
        case 'msg':
          run.push(envelope.request);
          break;
        case 'group':
          await this.sequenceRun(run, now, work);
          run = [];
          await this.handleGroupRequest(envelope.request, work);
          break;
        case 'skip':
          this.metrics.skipped.inc({ reason: envelope.reason });
          if (envelope.reason === 'undecodable') this.options.logger.error({ err: envelope.error }, 'undecodable record on the send topic skipped');
          break;
        default:
          assertNever(envelope);
      }
    }
    await this.sequenceRun(run, now, work);
    const settled = this.forwardAndAnswer(work).finally(endTimer);
    if (work.groups.length === 0) return { settled };
    await settled;
    return undefined;
  }

  /**
   * Delivery must have the messages, and the groups topic every group's new state, before
   * the senders are told they were accepted and the batch is committed.
   */
  private async forwardAndAnswer(work: BatchWork): Promise<void> {
    const { bus } = this.options.infrastructure;
    if (work.groups.length === 0) {
      if (work.forward.length > 0) await bus.publish(this.topics.deliver, work.forward);
    } else {
      await Promise.all([bus.publish(this.topics.groups, work.groups), work.forward.length > 0 ? bus.publish(this.topics.deliver, work.forward) : undefined]);
    }
    for (const [type, count] of work.answers.packetCounts()) this.packetsOut.get(type).inc(count);
    await work.answers.flush(this.options.infrastructure.downlink);
    this.repeats.repeatUnheard(work.answers);
  }

  private async sequenceRun(run: SendRequest[], now: number, work: BatchWork): Promise<void> {
    if (run.length === 0) return;
    const accepted = await this.refuseNonMembers(run, work);
    if (accepted.length === 0) return;
    const assignments = await this.options.infrastructure.seqStore.assign(accepted.map((r) => r.assign));
    accepted.forEach((request, i) => {
      const assignment = assignments[i]!;
      this.assigned.get(assignment.outcome).inc();
      if (!isPositioned(assignment)) {
        // Refused for its client_seq: never forwarded, the sender hears why (OUT_OF_ORDER, CLIENT_SEQ_REUSED).
        const refusal = orderRefusal(request, assignment);
        this.shared.errors.inc({ code: errorCodeName(refusal.error!.code!) ?? String(refusal.error!.code), service: 'sequencer' });
        work.answers.add(answerTarget(request.sender), refusal);
        return;
      }
      work.forward.push(sequencedRecord(request, assignment));
      // Repeated when unheard: otherwise the sender waits for its retransmit timer (3 s) to learn it.
      work.answers.add(answerTarget(request.sender), acceptedAnswer(request, assignment, now), { repeatIfUnheard: true });
    });
  }

  /** Group sends from non-members are answered NOT_A_MEMBER and never sequenced. */
  private async refuseNonMembers(run: SendRequest[], work: BatchWork): Promise<SendRequest[]> {
    /** Made at the first group send (most runs have none). */
    let byGroup: Map<ConversationId, SendRequest[]> | undefined;
    for (const request of run) {
      if (!isGroupConversation(request.assign.conversation)) continue;
      byGroup ??= new Map();
      const list = byGroup.get(request.assign.conversation) ?? [];
      list.push(request);
      byGroup.set(request.assign.conversation, list);
    }
    if (!byGroup) return run;
    const refused = new Set<SendRequest>();
    for (const [conversation, requests] of byGroup) {
      const senders = requests.map((r) => r.sender.user);
      const memberships = await this.options.infrastructure.membership.areMembers(conversation, senders);
      requests.forEach((request, i) => {
        if (memberships[i]) return;
        refused.add(request);
        this.shared.errors.inc({ code: 'NOT_A_MEMBER', service: 'sequencer' });
        work.answers.add(answerTarget(request.sender), notAMemberAnswer(request, conversation));
      });
    }
    return run.filter((r) => !refused.has(r));
  }

  private async handleGroupRequest(request: GroupRequest, work: BatchWork): Promise<void> {
    const result = await applyGroupRequest(this.options.infrastructure.membership, request, this.options.maxGroupMembers ?? DEFAULT_MAX_GROUP_MEMBERS);
    if (result.snapshot) work.groups.push(groupSnapshotRecord(result.snapshot));
    // In the deliver topic's order with the group's messages: a webhook sees the change between them.
    if (result.snapshot && result.change && this.options.appEvents === true) work.forward.push(groupChangedRecord(result.snapshot, result.change, request.sender.user, this.options.clock.now()));
    if (result.errorCode !== undefined) this.shared.errors.inc({ code: errorCodeName(result.errorCode) ?? String(result.errorCode), service: 'sequencer' });
    work.answers.add(answerTarget(request.sender), result.frame);
  }
}

/** What one batch produces: records for delivery and the groups topic, and answers for senders. */
class BatchWork {
  readonly forward: BusRecord[] = [];
  /** Group snapshots for the groups topic. */
  readonly groups: BusRecord[] = [];
  readonly answers = new DownlinkBatcher();
}

/** Default cap on a group's size. */
export const DEFAULT_MAX_GROUP_MEMBERS = 100_000;
