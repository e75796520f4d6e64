// @parley/auth: connection tokens.
export * from './token';
