// History reads at the API's store edge: every message is read once into a record with its
// position; a stored message missing a field fails the read (counted), never shown with an
// empty id or a position of 0 and never left out silently.
import { asConversationId, asEpoch, ErrorCode, parley, type StoredMessage } from '@parley/protocol';
import type { MessageRange, MessageStore } from '@parley/ports';
import { readHistory } from '../../src/reads';
import type { InvalidField } from '../../src/stored-message';

const conversation = asConversationId('d:amy:bob');
const stored = (seq: number, fields: Partial<parley.v1.IStoredMessage> = {}): StoredMessage =>
  parley.v1.StoredMessage.create({ conversation, fromUser: 'amy', msgId: `m${seq}`, position: { epoch: 'e1', seq }, payload: Buffer.from('hi'), serverTimeMs: 5, ...fields });

const storeOf = (messages: StoredMessage[]): MessageStore =>
  ({
    range: async (): Promise<MessageRange> => ({ epoch: asEpoch('e1'), latestSeq: 2, oldestSeq: 1, messages }),
  }) as unknown as MessageStore;

describe('readHistory', () => {
  it('shows each message with its position and base64 payload', async () => {
    const page = await readHistory(storeOf([stored(1), stored(2)]), conversation, 0, 10, () => undefined);
    expect(page.messages).toEqual([
      { msgId: 'm1', from: 'amy', position: { epoch: 'e1', seq: 1 }, serverTimeMs: 5, payload: Buffer.from('hi').toString('base64') },
      { msgId: 'm2', from: 'amy', position: { epoch: 'e1', seq: 2 }, serverTimeMs: 5, payload: Buffer.from('hi').toString('base64') },
    ]);
    expect(page).toMatchObject({ epoch: 'e1', latestSeq: 2, truncated: false });
    expect(page.nextAfter).toBeUndefined();
  });

  it('a stored message without a position fails the read INTERNAL and is counted by field', async () => {
    const invalid: InvalidField[] = [];
    const read = readHistory(storeOf([stored(1), stored(2, { position: null })]), conversation, 0, 10, (field) => invalid.push(field));
    await expect(read).rejects.toMatchObject({ code: ErrorCode.INTERNAL, status: 500 });
    expect(invalid).toEqual(['position']);
  });
});
