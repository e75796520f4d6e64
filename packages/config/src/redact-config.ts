// What of a configuration may be logged: the start-up line prints the config with its secrets hidden.

/**
 * A config copy safe to log: secrets and credentials in URLs replaced, also inside a setting
 * that holds a list of objects (PARLEY_WEBHOOKS: each endpoint's `secret`).
 */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[key] = redactValue(key, value);
  return out;
}

function redactValue(key: string, value: unknown): unknown {
  if (/SECRET|PASSWORD|CREDENTIAL|API_KEYS/i.test(key)) return value === undefined ? undefined : '[redacted]';
  if (typeof value === 'string') return value.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:[redacted]@');
  if (Array.isArray(value)) return value.map((item) => redactValue('', item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(k, v)]));
  }
  return value;
}
