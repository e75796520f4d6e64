// @parley/delivery: pushes messages to receivers, tracks acks, keeps offline inboxes.
export * from './delivery';
export * from './pending-deliveries';
export * from './redelivery-policy';
export * from './delivery-config';
