// The Inbox contract over MemoryInbox.
import { MemoryInbox } from '@parley/ports';
import { describeInboxContract } from '@parley/ports/testing';

describeInboxContract('memory', async () => ({ inbox: new MemoryInbox(), close: async () => {} }));
