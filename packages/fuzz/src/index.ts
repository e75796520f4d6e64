// @parley/fuzz: client packets generated from valid to hostile, and what each connection is owed for them.
export * from './client-packets';
export * from './answer-ledger';
