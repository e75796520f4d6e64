// The Inbox contract over MemoryInbox.
import { InvalidFieldError, asUserId } from '@parley/protocol';
import { MemoryInbox } from '../../src/inbox.memory';
import { describeInboxContract } from '../../src/testing/inbox.contract';

describeInboxContract('memory', async () => ({ inbox: new MemoryInbox(), close: async () => {} }));

describe('MemoryInbox', () => {
  it('refuses a cursor it did not make as an invalid field, so the client gets INVALID_FIELD', async () => {
    await expect(new MemoryInbox().page(asUserId('bob'), 'not-a-cursor', 10)).rejects.toBeInstanceOf(InvalidFieldError);
  });
});
