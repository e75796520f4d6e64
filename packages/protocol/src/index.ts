// @parley/protocol: the generated wire and bus schema, codecs, ids, error and close codes.
export { parley } from './gen/parley';
export * from './ids';
export * from './conversation';
export * from './errors';
export * from './close-codes';
export * from './packet';
export * from './codec';
