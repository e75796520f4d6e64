// Start-up configuration: one zod schema per service is the source of defaults,
// validation and the Config type; a bad value stops the process with a readable message.
import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads `env` through `schema`. The schema's keys are environment variable names
 * (PARLEY_*). `knownElsewhere` names settings another service reads (one ConfigMap feeds
 * every service): they are ignored, whatever their value. Any other variable starting with
 * PARLEY_ is rejected, so a typo does not silently fall back to a default.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv,
  knownElsewhere: readonly string[] = [],
): z.infer<z.ZodObject<S>> {
  const schema = z.object(shape);
  const input: Record<string, string> = {};
  const issues: string[] = [];
  const known = new Set([...Object.keys(shape), ...knownElsewhere]);
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('PARLEY_') || value === undefined) continue;
    if (key.startsWith('PARLEY_TEST_')) continue;
    if (!known.has(key)) issues.push(`${key}: unknown setting (no parley service reads it; a typo?)`);
    else if (key in shape && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  return parsed.data;
}

/** A config copy safe to log: secrets and credentials in URLs replaced. */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (/SECRET|PASSWORD|CREDENTIAL|API_KEYS/.test(key)) out[key] = value === undefined ? undefined : '[redacted]';
    else if (typeof value === 'string') out[key] = value.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:[redacted]@');
    else out[key] = value;
  }
  return out;
}

/** Schema helpers with explicit units in the variable names (…_MS, …_BYTES). */
export const env = {
  int: (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback),
  string: (fallback: string) => z.string().min(1).default(fallback),
  optionalString: () => z.string().min(1).optional(),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      ),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};
