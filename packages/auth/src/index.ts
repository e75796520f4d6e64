// @parley/auth: connection tokens and server API tokens.
export * from './token';
export * from './server-api-token';
