// The client requests that reach delivery, routed to the part that owns each: ack:R and
// offlineack:R (acks.ts), read:R (read-receipts.ts), offline:R (inbox-pull.ts), sync:R
// (history-sync.ts), conversations:R (conversation-list.ts), and the refusals the edge decided
// (refusals.ts). Acks and reads are handled together; the others one by one, in order.
import { assertNever } from '@parley/protocol';
import type { Acks } from './acks';
import type { BatchScope } from './batch-scope';
import type { ConversationList } from './conversation-list';
import type { AckRequest, ClientRequest, ReadRequest } from './deliver-record';
import type { HistorySync } from './history-sync';
import type { InboxPull } from './inbox-pull';
import type { ReadReceipts } from './read-receipts';
import { answerRefusal, type ErrorCounter } from './refusals';

export interface ClientRequestOwners {
  readonly acks: Pick<Acks, 'acknowledge' | 'trimInbox'>;
  readonly reads: Pick<ReadReceipts, 'handleAll'>;
  readonly pulls: Pick<InboxPull, 'answer'>;
  readonly syncs: Pick<HistorySync, 'answer'>;
  readonly conversations: Pick<ConversationList, 'answer'>;
  readonly errors: ErrorCounter;
}

export class ClientRequests {
  constructor(private readonly owners: ClientRequestOwners) {}

  /**
   * Handles consecutive client requests of one batch. Acks are handled together (one
   * round of store writes for all of them); the others one by one, in order.
   */
  async handleAll(requests: readonly ClientRequest[], scope: BatchScope): Promise<void> {
    const { acks, reads, pulls, syncs, conversations, errors } = this.owners;
    await acks.acknowledge(
      requests.filter((r): r is AckRequest => r.kind === 'ack'),
      scope,
    );
    // After the acks: a read position of messages acked in the same batch is told after their DELIVERED.
    await reads.handleAll(
      requests.filter((r): r is ReadRequest => r.kind === 'read'),
      scope,
    );
    for (const request of requests) {
      switch (request.kind) {
        case 'ack':
        case 'read':
          break;
        case 'pull':
          await pulls.answer(request, scope);
          break;
        case 'trim':
          await acks.trimInbox(request, scope);
          break;
        case 'sync':
          await syncs.answer(request, scope);
          break;
        case 'conversations':
          await conversations.answer(request, scope);
          break;
        case 'refuse':
          answerRefusal(scope.out, errors, request);
          break;
        default:
          assertNever(request);
      }
    }
  }
}
