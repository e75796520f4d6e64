// How long conversations keep their messages, as configured (PARLEY_RETENTION_*).
import type { RetentionPolicy } from '@parley/ports';
import type { InfrastructureConfig } from '@parley/runtime';

export const retentionOf = (config: InfrastructureConfig): RetentionPolicy => ({
  maxMessages: config.PARLEY_RETENTION_MAX_MESSAGES,
  maxAgeMs: config.PARLEY_RETENTION_MAX_AGE_MS,
});
