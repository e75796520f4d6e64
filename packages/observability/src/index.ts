// @parley/observability: logs, metrics, admin endpoints and configuration loading.
export * from './logger';
export * from './config';
export * from './metrics';
export * from './admin-server';
