// @parley/config: start-up configuration. Each service's zod schema (built from `env`) is read
// from the environment once, at start, and a bad value stops the process with a readable message.
export * from './config-error';
export * from './load-config';
export * from './env-settings';
export * from './redact-config';
