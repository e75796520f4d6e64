// The offline:R cursor codec: what the server issues reads back; nothing else does.
import { asConversationId, asEpoch, decodeInboxCursor, encodeInboxCursor, ErrorCode, InvalidCursorError, isValidInboxCursor, MAX_INBOX_CURSOR_LENGTH } from '../../src';

describe('the inbox cursor', () => {
  it('reads back what it writes, and the empty cursor is the start', () => {
    const entry = { conversation: asConversationId('d:alice:bob'), epoch: asEpoch('0lmx2k9qa7f3kq0zb'), seq: 42 };
    expect(decodeInboxCursor(encodeInboxCursor(entry))).toEqual(entry);
    const big = { conversation: asConversationId(`g:${'x'.repeat(64)}`), epoch: asEpoch('e'.repeat(64)), seq: Number.MAX_SAFE_INTEGER };
    expect(decodeInboxCursor(encodeInboxCursor(big))).toEqual(big);
    const longest = { conversation: asConversationId(`d:${'a'.repeat(64)}:${'b'.repeat(64)}`), epoch: asEpoch('e'.repeat(64)), seq: 1 };
    expect(encodeInboxCursor(longest)).toHaveLength(MAX_INBOX_CURSOR_LENGTH);
    expect(decodeInboxCursor(encodeInboxCursor(longest))).toEqual(longest);
    expect(decodeInboxCursor('')).toBeUndefined();
  });

  it.each([
    ['0'],
    ['abc'],
    ['|||'],
    ['x'.repeat(60 * 1024)],
    ['d:alice:bob|e1|1'],
    ['d:alice:bob|e1|-0000000000000000001'],
    ['d:alice:bob|e1|99999999999999999999'],
    ['d:bob:alice|e1|00000000000000000001'],
    ['d:alice:alice|e1|00000000000000000001'],
    ['x:alice:bob|e1|00000000000000000001'],
    ['d:alice:bob|e 1|00000000000000000001'],
    ['d:alice:bob||00000000000000000001'],
    ['g:|e1|00000000000000000001'],
  ])('refuses %j with INVALID_CURSOR', (text) => {
    expect(() => decodeInboxCursor(text)).toThrow(InvalidCursorError);
    expect(isValidInboxCursor(text)).toBe(false);
    try {
      decodeInboxCursor(text);
    } catch (error) {
      expect((error as InvalidCursorError).code).toBe(ErrorCode.INVALID_CURSOR);
      expect((error as InvalidCursorError).retryable).toBe(false);
    }
  });
});
