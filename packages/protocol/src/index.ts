// @parley/protocol: the generated wire and bus schema, codecs, ids, error and close codes, and
// the Clock every timer of the services and the client SDK goes through.
export { parley } from './gen/parley';
export * from './ids';
export * from './conversation';
export * from './errors';
export * from './close-codes';
export * from './packet';
export * from './codec';
export * from './notify';
import { parley as generated } from './gen/parley';
/** Status of an ack:N. */
export const AckStatus = generated.v1.AckStatus;
export type AckStatus = generated.v1.AckStatus;
export * from './delimited';
export * from './inbox-cursor';
export * from './backoff';
export * from './connection-frames';
export * from './clock';
