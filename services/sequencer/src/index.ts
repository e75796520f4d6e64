// @parley/sequencer: assigns every conversation's messages their (epoch, seq).
export * from './sequencer';
export * from './sequencer-ports';
export * from './send-envelope';
export * from './sequencer-config';
export * from './sequencer-options';
export * from './group-requests';
export * from './membership-rebuild';
export * from './group-log';
