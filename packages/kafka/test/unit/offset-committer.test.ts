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
  it('commits at most once per interval while records flow, by timer when they stop, and never what was not resolved', async () => {
    let now = 1_000;
    const committer = new OffsetCommitter(50, (error) => { throw error; }, () => now);
    const { access, commits, resolve } = fakeAccess();
    resolve(1);
    await committer.resolved(access);
    expect(commits).toEqual(['1']);
    now += 10;
    resolve(2);
    await committer.resolved(access);
    resolve(3);
    await committer.resolved(access);
    expect(commits).toEqual(['1']); // within the interval: waits
    await waitUntil(() => commits.length === 2); // the timer commits what is pending
    expect(commits).toEqual(['1', '3']);
    now += 100;
    resolve(4);
    await committer.resolved(access); // the interval has passed: at once
    expect(commits).toEqual(['1', '3', '4']);
    await committer.close();
    expect(commits).toEqual(['1', '3', '4']); // nothing pending: no empty commit
  });

  it('commits on close, and after close commits every resolved call at once', async () => {
    const committer = new OffsetCommitter(60_000, (error) => { throw error; }, () => 5);
    const { access, commits, resolve } = fakeAccess();
    resolve(7);
    await committer.resolved(access);
    resolve(8);
    await committer.resolved(access);
    expect(commits).toEqual(['7']);
    await committer.close();
    expect(commits).toEqual(['7', '8']);
    resolve(9);
    await committer.resolved(access);
    expect(commits).toEqual(['7', '8', '9']);
  });
});
