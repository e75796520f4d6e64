// What of a configuration may be logged: the start-up line prints the config with its secrets hidden.

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
