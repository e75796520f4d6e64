// Configuration of the all-in-one process: the gateway's settings plus the
// sequencer's, delivery's and the server API's. Without Kafka and Redis settings it runs embedded.
import { ConfigError, env, loadConfig } from '@parley/config';
import { gatewaySettings, tlsConfigIssues } from '@parley/gateway';
import { deliverySettings } from '@parley/delivery';
import { apiConfigIssues, apiSettings } from '@parley/api';
import { PARLEY_SETTING_NAMES } from '@parley/runtime';

export const serverSettings = {
  ...gatewaySettings,
  ...deliverySettings,
  ...apiSettings,
  /** Serve the demo page and /dev/token?user=NAME; on by default in the embedded mode (ignored on Kafka and Redis). */
  PARLEY_DEV_TOKENS: env.bool(true),
  /** Which services this process runs, comma-separated: gateway, sequencer, delivery, api (the server API, with PARLEY_API_KEYS). */
  PARLEY_ROLES: env.list('gateway,sequencer,delivery'),
  // One process and no load balancer in front by default: no endpoint removal to wait for,
  // and a quick stop (Ctrl-C). A deployment behind a load balancer sets the gateway's values.
  PARLEY_DRAIN_DELAY_MS: env.int(0, 120_000, 0),
  PARLEY_DRAIN_WINDOW_MS: env.int(0, 600_000, 1_000),
};

export type ServerConfig = ReturnType<typeof loadConfig<typeof serverSettings>>;

/** The HS256 secret the embedded mode uses when none is configured (never for real deployments). */
export const EMBEDDED_DEV_SECRET = 'parley-embedded-development-secret';

/** Where the embedded mode listens when PARLEY_GATEWAY_HOST is unset: this machine only. */
export const EMBEDDED_HOST = '127.0.0.1';

export function loadServerConfig(source: NodeJS.ProcessEnv): ServerConfig {
  // The standalone services' own settings (their admin ports) are ignored: one ConfigMap serves all.
  const config = loadConfig(serverSettings, source, PARLEY_SETTING_NAMES);
  const issues = [...tlsConfigIssues(config), ...apiConfigIssues(config, source)];
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}
