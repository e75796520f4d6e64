// typing:R → typing:N. Typing indicators are ephemeral: the gateway that receives one looks
// up the other members' connections (presence) and publishes typing:N straight to their
// gateways' downlinks. Nothing is stored, nothing goes through the bus, nothing is repeated:
// a lost indicator is replaced by the next one (clients repeat typing:R while typing), and
// one that arrives late only shows a few seconds too long.
import { DownlinkBatcher, type Downlink, type Membership, type Presence } from '@parley/ports';
import { ConversationId, directPeer, GatewayId, ErrorCode, isGroupConversation, UserId } from '@parley/protocol';

/** What the relay keeps on each connection: when it last relayed one of its typing:R. */
export interface TypingState {
  /** Undefined until one is relayed (a field holding no number costs no heap number). */
  lastTypingAt: number | undefined;
}

/**
 * At most one typing:R per connection per `minIntervalMs` is relayed (more are dropped
 * without an answer: an indicator needs no more).
 */
export function admitTyping(state: TypingState, nowMs: number, minIntervalMs: number): boolean {
  if (state.lastTypingAt !== undefined && nowMs - state.lastTypingAt < minIntervalMs) return false;
  state.lastTypingAt = nowMs;
  return true;
}

export interface TypingRelayParts {
  readonly presence: Presence;
  readonly membership: Pick<Membership, 'members'>;
  readonly downlink: Downlink;
}

export type TypingOutcome = 'relayed' | 'nobody_online' | typeof ErrorCode.NOT_A_MEMBER;

export class TypingRelay {
  constructor(private readonly parts: TypingRelayParts) {}

  /** Pushes typing:N for `user` to the online devices of the conversation's other members. */
  async relay(user: UserId, conversation: ConversationId): Promise<TypingOutcome> {
    let others: UserId[];
    if (isGroupConversation(conversation)) {
      const members = await this.parts.membership.members(conversation);
      if (!members.includes(user)) return ErrorCode.NOT_A_MEMBER;
      others = members.filter((member) => member !== user);
    } else {
      const peer = directPeer(conversation, user);
      if (!peer) return ErrorCode.NOT_A_MEMBER;
      others = [peer];
    }
    const online = await this.parts.presence.lookup(others);
    const byGateway = new Map<GatewayId, { gatewayId: GatewayId; users: Set<UserId> }>();
    for (const entry of [...online.values()].flat()) {
      let target = byGateway.get(entry.gatewayId);
      if (!target) byGateway.set(entry.gatewayId, (target = { gatewayId: entry.gatewayId, users: new Set() }));
      target.users.add(entry.user);
    }
    if (byGateway.size === 0) return 'nobody_online';
    const out = new DownlinkBatcher();
    for (const { gatewayId, users } of byGateway.values()) {
      const [first, ...rest] = [...users] as [UserId, ...UserId[]];
      out.add({ gatewayId, user: first, moreUsers: rest }, { typingN: { conversation, user } });
    }
    await out.flush(this.parts.downlink);
    return 'relayed';
  }
}
