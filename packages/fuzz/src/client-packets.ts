// fast-check generators of client packets of every kind a client may send, with field values
// from valid to hostile: ids of every shape, cursors, positions with huge seqs and odd epochs,
// conversation names, member lists and sizes at and over the limits.
// Shared by the fuzz tests of @parley/server and `npm run fuzz` (the long run on Kafka and Redis).
import fc from 'fast-check';
import type { FrameInit } from '@parley/protocol';

export const USERS = ['u0', 'u1', 'u2', 'u3'] as const;
export const LIMITS = { maxFrameBytes: 4096, maxPayloadBytes: 64, maxGroupMembers: 5 } as const;

const id = fc.oneof(
  fc.constantFrom('', 'a', 'x'.repeat(64), 'x'.repeat(65), 'bad id', 'ü', 'a|b', 'a:b', 'g:team', '\u0000'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.string({ maxLength: 80 }),
);
const user = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...USERS) }, { weight: 1, arbitrary: id });
const groupConversation = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('g:team', 'g:x', 'g:other') },
  { weight: 1, arbitrary: fc.constantFrom('g:', `g:${'y'.repeat(65)}`, 'g:a|b', 'd:u0:u1', 'd:u1:u0', 'd:u0:u0', '') },
  { weight: 1, arbitrary: id.map((s) => `g:${s}`) },
);
const conversation = fc.oneof(
  { weight: 2, arbitrary: groupConversation },
  { weight: 2, arbitrary: fc.constantFrom('d:u0:u1', 'd:u0:u2', 'd:u1:u3', 'd:u2:u3', 'd:u0:u0', 'd:u1:u0', 'd:u0:u1:u2') },
  { weight: 1, arbitrary: id },
);
const epoch = fc.oneof(fc.constantFrom('', 'e1', 'a|b', 'x'.repeat(100), '0lmx2k9qa7f3kq0zb'), fc.string({ maxLength: 20 }));
const seq = fc.oneof(
  fc.nat(10),
  fc.constantFrom(0, 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 63, 2 ** 64 - 1, -1),
  fc.nat(),
);
const position = fc.option(fc.record({ epoch, seq }), { nil: undefined });
const limit = fc.oneof(fc.nat(5), fc.constantFrom(0, 200, 201, 10_000, 2 ** 32 - 1));
const cursor = fc.oneof(
  fc.constantFrom('', '0', 'abc', 'x'.repeat(3000), 'd:u0:u1|e1|00000000000000000001', 'g:team|e1|99999999999999999999', 'd:u0:u1|e1|1'),
  fc.string({ maxLength: 60 }),
);
const members = fc.oneof(fc.array(user, { maxLength: 4 }), fc.array(fc.constantFrom(...USERS, 'u4', 'u5', 'u6'), { minLength: 5, maxLength: 8 }));
const payload = fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.constantFrom(new Uint8Array(64), new Uint8Array(65)));

const msgR = fc
  .record({
    msgId: id,
    toUser: fc.option(user, { nil: undefined }),
    conversation: fc.option(conversation, { nil: undefined }),
    fromUser: fc.option(user, { nil: undefined }),
    payload,
    clientSeq: seq,
  })
  .map((msgR): FrameInit => ({ msgR }));
const ackR = fc.record({ conversation, position }).map((ackR): FrameInit => ({ ackR }));
const offlineR = fc.record({ limit, cursor }).map((offlineR): FrameInit => ({ offlineR }));
const offlineackR = fc
  .array(fc.record({ conversation, position }), { maxLength: 6 })
  .map((refs): FrameInit => ({ offlineackR: { refs } }));
const groupR = fc
  .record({
    requestId: id,
    action: fc.oneof(
      fc.record({ create: fc.record({ groupId: fc.oneof(fc.constantFrom('team', 'x', 'other'), id), members }) }),
      fc.record({ change: fc.record({ conversation: groupConversation, add: members, remove: members }) }),
      fc.record({ list: fc.record({ conversation: groupConversation }) }),
      fc.constant({}),
    ),
  })
  .map(({ requestId, action }): FrameInit => ({ groupR: { requestId, ...action } }));
const syncR = fc.record({ requestId: id, conversation, after: position, limit }).map((syncR): FrameInit => ({ syncR }));
const conversationsR = fc.record({ requestId: id, limit }).map((conversationsR): FrameInit => ({ conversationsR }));

/** One client packet, as a frame to encode, or raw bytes that may not be a frame at all. */
export type FuzzPacket = { readonly user: number; readonly frame: FrameInit } | { readonly user: number; readonly bytes: Uint8Array };

export const packet: fc.Arbitrary<FuzzPacket> = fc.oneof(
  ...[msgR, msgR, ackR, offlineR, offlineackR, groupR, groupR, syncR, conversationsR].map((frame) =>
    fc.record({ user: fc.nat(USERS.length - 1), frame }),
  ),
  fc.record({ user: fc.nat(USERS.length - 1), bytes: fc.uint8Array({ maxLength: 40 }) }),
);
