// @parley/delivery: pushes messages to receivers, tracks acks, keeps offline inboxes.
export * from './delivery';
export * from './delivery-ports';
export * from './delivery-config';
export * from './delivery-options';
export * from './pending-deliveries';
export * from './group-watermarks';
export * from './redelivery-policy';
export * from './intake-lag';
