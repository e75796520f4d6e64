// Deliver-topic records of one 1:1 conversation (alice → bob, epoch e1) for delivery's unit
// tests: alice's sequenced messages from her connection `ca`, bob's acks from `cb`.
import { asGatewayId, encodeDeliveryCommand, GatewayId, parley } from '@parley/protocol';

export const gw = asGatewayId('gw1');

export const message = (seq: number) =>
  parley.v1.StoredMessage.create({
    conversation: 'd:alice:bob',
    position: { epoch: 'e1', seq },
    msgId: `m${seq}`,
    fromUser: 'alice',
    toUsers: ['bob'],
    payload: Buffer.from(`hello ${seq}`),
  });

/** Message `seq` from alice, sent from her connection `ca` on gateway `from`. */
export const sequenced = (seq: number, options: { duplicate?: boolean; from?: GatewayId } = {}) => ({
  key: 'd:alice:bob',
  value: encodeDeliveryCommand({
    sequenced: { message: message(seq), duplicate: options.duplicate ?? false, origin: { gatewayId: options.from ?? gw, connectionId: 'ca', userId: 'alice' } },
  }),
});

/** bob's ack:R of `seq`, from his connection `cb`. */
export const ackFromBob = (seq: number) => ({
  key: 'd:alice:bob',
  value: encodeDeliveryCommand({
    client: { origin: { gatewayId: gw, connectionId: 'cb', userId: 'bob' }, frame: { ackR: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq } } } },
  }),
});
