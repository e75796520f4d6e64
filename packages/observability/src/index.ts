// @parley/observability: logs, metrics and admin endpoints.
export * from './logger';
export * from './metrics';
export * from './tally';
export * from './admin-server';
export * from './log-format';
