// Start-up configuration: one zod schema per service is the source of defaults,
// validation and the Config type; a bad value stops the process with a readable message.
import { z } from 'zod';
import { ConfigError } from './config-error';

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
