// offline:R: a page of the user's inbox (what no device of the user has taken yet), after the
// cursor the previous page ended with. A pull waits for a write-back after a store loss (the
// batch settles that before its first pull), so the page after resync:N holds every pending message.
import type { Inbox } from '@parley/ports';
import { encodeInboxCursor, toMsgNotify } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { InboxPullRequest } from './deliver-record';

export interface InboxPullParts {
  readonly inbox: Pick<Inbox, 'page'>;
  /** Largest offline:A page. */
  readonly maxPage: number;
}

export class InboxPull {
  constructor(private readonly parts: InboxPullParts) {}

  async answer({ origin, after, limit: asked }: InboxPullRequest, scope: BatchScope): Promise<void> {
    const max = this.parts.maxPage;
    const limit = Math.max(1, Math.min(max, asked || max));
    const page = await this.parts.inbox.page(origin.user, after, limit);
    scope.out.add(origin, {
      offlineA: { messages: page.messages.map(toMsgNotify), hasMore: page.hasMore, nextCursor: page.next ? encodeInboxCursor(page.next) : '' },
    });
  }
}
