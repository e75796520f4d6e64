import { asConversationId, asEpoch, type ConversationId } from '@parley/protocol';
import { ConversationSync } from '../../src/conversation-sync';
import type { Position } from '../../src/frames';

const c = asConversationId;
const at = (seq: number): Position => ({ epoch: asEpoch('e1'), seq });

describe('conversation sync runs', () => {
  let pages: Array<[ConversationId, number | undefined]>;
  let sync: ConversationSync;

  beforeEach(() => {
    pages = [];
    sync = new ConversationSync(2, { requestPage: (conversation, after) => pages.push([conversation, after?.seq]) });
  });

  it('pages from the delivered position, then after each page’s last message, until has_more is false', () => {
    sync.start(c('g:a'), 'reconnect');
    expect(sync.pageProcessed(c('g:a'), { hasMore: true, last: at(100) }, false)).toBe('more');
    expect(sync.pageProcessed(c('g:a'), { hasMore: false, last: at(150) }, false)).toBe('done');
    expect(pages).toEqual([
      [c('g:a'), undefined],
      [c('g:a'), 100],
    ]);
    expect(sync.isSyncing(c('g:a'))).toBe(false);
  });

  it('stops a gap run once the gap is closed, even with more pages', () => {
    sync.start(c('g:a'), 'gap');
    expect(sync.pageProcessed(c('g:a'), { hasMore: true, last: at(100) }, true)).toBe('more');
    expect(sync.pageProcessed(c('g:a'), { hasMore: true, last: at(200) }, false)).toBe('done');
  });

  it('ends on an empty page that claims more (it would ask for the same page forever)', () => {
    sync.start(c('g:a'), 'manual');
    expect(sync.pageProcessed(c('g:a'), { hasMore: true, last: undefined }, true)).toBe('done');
  });

  it('runs at most maxConcurrent conversations, the others in the order asked', () => {
    for (const name of ['g:a', 'g:b', 'g:c', 'g:d']) sync.start(c(name), 'reconnect');
    expect(pages.map(([conversation]) => conversation)).toEqual(['g:a', 'g:b']);
    expect([sync.running, sync.queued]).toEqual([2, 2]);
    sync.pageProcessed(c('g:b'), { hasMore: false, last: at(1) }, false);
    expect(pages.map(([conversation]) => conversation)).toEqual(['g:a', 'g:b', 'g:c']);
  });

  it('joins a start for a conversation already syncing: one run, every waiter settled, a gap run extended to the end', () => {
    const settled: string[] = [];
    sync.start(c('g:a'), 'gap');
    sync.start(c('g:a'), 'manual', { resolve: () => settled.push('first'), reject: () => settled.push('failed') });
    sync.start(c('g:a'), 'reconnect', { resolve: () => settled.push('second'), reject: () => settled.push('failed') });
    expect(pages).toHaveLength(1);
    expect(sync.pageProcessed(c('g:a'), { hasMore: true, last: at(10) }, false)).toBe('more'); // no gap, but to the end now
    expect(sync.pageProcessed(c('g:a'), { hasMore: false, last: at(20) }, false)).toBe('done');
    expect(settled).toEqual(['first', 'second']);
  });

  it('rejects the waiters of a failed run and lets the next one start', () => {
    const errors: Error[] = [];
    sync = new ConversationSync(1, { requestPage: (conversation, after) => pages.push([conversation, after?.seq]) });
    sync.start(c('g:a'), 'manual', { resolve: () => undefined, reject: (e) => errors.push(e) });
    sync.start(c('g:b'), 'reconnect');
    sync.failed(c('g:a'), new Error('NOT_A_MEMBER'));
    expect(errors).toEqual([new Error('NOT_A_MEMBER')]);
    expect(pages.map(([conversation]) => conversation)).toEqual(['g:a', 'g:b']);
    sync.failAll(new Error('closed'));
    expect([sync.running, sync.queued]).toEqual([0, 0]);
  });
});
