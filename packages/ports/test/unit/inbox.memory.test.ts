// The Inbox contract over MemoryInbox.
import { MemoryInbox } from '../../src/inbox.memory';
import { describeInboxContract } from '../../src/testing/inbox.contract';

describeInboxContract('memory', async () => ({ inbox: new MemoryInbox(), close: async () => {} }));
