// @parley/api: the server API for application backends (docs/SERVER-API.md).
export * from './api-config';
export * from './api-error';
export * from './routes';
export * from './server-api';
export * from './api-ports';
export * from './pending-answers';
export * from './webhook-signature';
export * from './webhook-events';
export * from './webhook-retry';
export * from './webhook-endpoint';
