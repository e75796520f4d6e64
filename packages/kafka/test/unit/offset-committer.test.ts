import type { OffsetsByTopicPartition } from 'kafkajs';
import { OffsetCommitter, type CommitAccess } from '../../src/offset-committer';

/** kafkajs' resolved-offset bookkeeping, reduced to one partition. */
function fakeAccess() {
  const commits: string[] = [];
  let resolved: string | undefined;
  let committed: string | undefined;
  const access: CommitAccess = {
    uncommittedOffsets: (): OffsetsByTopicPartition => ({
      topics: resolved !== undefined && resolved !== committed ? [{ topic: 't', partitions: [{ partition: 0, offset: resolved }] }] : [],
    }),
    commitOffsetsIfNecessary: async (offsets?: OffsetsByTopicPartition) => {
      const offset = offsets!.topics[0]!.partitions[0]!.offset;
      commits.push(offset);
      committed = offset;
    },
  };
  return { access, commits, resolve: (offset: number) => (resolved = String(offset)) };
}

async function waitUntil(condition: () => boolean, deadlineMs = 2000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OffsetCommitter', () => {
  it('while records flow, never makes a handler call wait for a commit: the timer commits what is resolved, and never what was not', async () => {
    const { access, commits, resolve } = fakeAccess();
    let commitStarted = 0;
    let finishCommit: (() => void) | undefined;
    const slow: CommitAccess = {
      uncommittedOffsets: access.uncommittedOffsets,
      commitOffsetsIfNecessary: async (offsets) => {
        commitStarted += 1;
        await new Promise<void>((done) => (finishCommit = done));
        await access.commitOffsetsIfNecessary(offsets);
      },
    };
    const committer = new OffsetCommitter(20, (error) => { throw error; });
    resolve(1);
    await committer.resolved(slow);
    expect(commitStarted).toBe(0); // not in the handler path
    await waitUntil(() => commitStarted === 1); // the timer's
    resolve(2);
    await committer.resolved(slow); // returns although a commit is in flight
    expect(commits).toEqual([]);
    finishCommit!();
    await waitUntil(() => commits.length === 1);
    expect(commits).toEqual(['1']); // what was resolved when it started
    await waitUntil(() => commitStarted === 2);
    finishCommit!();
    await waitUntil(() => commits.length === 2);
    expect(commits).toEqual(['1', '2']);
    await committer.close();
    expect(commits).toEqual(['1', '2']); // nothing pending: no empty commit
  });

  it('without an interval commits at the end of every handler call, which waits for it', async () => {
    const committer = new OffsetCommitter(0, (error) => { throw error; });
    const { access, commits, resolve } = fakeAccess();
    resolve(3);
    await committer.resolved(access);
    expect(commits).toEqual(['3']);
    resolve(4);
    await committer.resolved(access);
    expect(commits).toEqual(['3', '4']);
    await committer.close();
    expect(commits).toEqual(['3', '4']);
  });

  it('commits on close, and after close commits every resolved call at once', async () => {
    const committer = new OffsetCommitter(60_000, (error) => { throw error; });
    const { access, commits, resolve } = fakeAccess();
    resolve(7);
    await committer.resolved(access);
    resolve(8);
    await committer.resolved(access);
    expect(commits).toEqual([]); // the timer's interval has not passed
    await committer.close();
    expect(commits).toEqual(['8']);
    resolve(9);
    await committer.resolved(access);
    expect(commits).toEqual(['8', '9']);
  });
});
