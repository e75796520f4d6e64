// One ConfigMap for every service: each service validates its own PARLEY_* settings,
// ignores those another service reads, and still refuses a name no service reads (a typo).
// The catalog of names stays equal to the union of the services' schemas, and each name is
// documented in the README's configuration table with its default (services/gateway's
// limits-doc test holds PROTOCOL.md's Limits table to the gateway's schema the same way).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@parley/config';
import { PARLEY_SETTING_NAMES } from '@parley/runtime';
import { gatewaySettings, loadGatewayConfig } from '@parley/gateway';
import { loadSequencerConfig, sequencerSettings } from '@parley/sequencer';
import { deliveryAdminSettings, loadDeliveryConfig } from '@parley/delivery';
import { apiSettings, loadApiConfig } from '@parley/api';
import { loadServerConfig, serverSettings } from '../../src/server-config';

/** What one shared ConfigMap would hold: settings of every service side by side. */
const shared = {
  PARLEY_KAFKA_BROKERS: 'kafka:9092',
  PARLEY_REDIS_URL: 'redis://redis:6379',
  PARLEY_JWT_SECRET: 'a-secret-of-at-least-16-characters',
  PARLEY_GATEWAY_PORT: '8080',
  PARLEY_DRAIN_WINDOW_MS: '20000',
  PARLEY_SEQUENCER_ADMIN_PORT: '9191',
  PARLEY_DELIVERY_ADMIN_PORT: '9192',
  PARLEY_ACK_TIMEOUT_MS: '7000',
  PARLEY_CONSUMER_STALL_MS: '90000',
  PARLEY_ROLES: 'gateway',
};

const loaders = {
  gateway: loadGatewayConfig,
  sequencer: loadSequencerConfig,
  delivery: loadDeliveryConfig,
  server: loadServerConfig,
  api: loadApiConfig,
} as const;

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

/** Every service's configuration schema. */
const SCHEMAS = [gatewaySettings, sequencerSettings, deliveryAdminSettings, serverSettings, apiSettings];

/** The README's configuration table: setting name -> its default cell. */
const readmeDefaults = new Map(
  [...readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8').matchAll(/^\| `(PARLEY_[A-Z0-9_]+)` \| ([^|]*) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]),
);

/** The values a default cell names: "`5000`; 0 in the all-in-one process" -> 5000, 0, in, ... */
const defaultTokens = (cell: string): string[] => cell.replace(/`/g, '').split(/[\s;()]+/).filter(Boolean);

/** Settings whose default is computed at start-up (the cell says how). */
const COMPUTED_DEFAULTS = new Set(['PARLEY_GATEWAY_ID']);

describe('one shared configuration for every service', () => {
  it('every service starts from the same settings and reads its own', () => {
    expect(loadGatewayConfig(shared)).toMatchObject({ PARLEY_GATEWAY_PORT: 8080, PARLEY_DRAIN_WINDOW_MS: 20_000 });
    expect(loadSequencerConfig(shared)).toMatchObject({ PARLEY_SEQUENCER_ADMIN_PORT: 9191, PARLEY_CONSUMER_STALL_MS: 90_000 });
    expect(loadDeliveryConfig(shared)).toMatchObject({ PARLEY_DELIVERY_ADMIN_PORT: 9192, PARLEY_ACK_TIMEOUT_MS: 7_000 });
    expect(loadServerConfig(shared)).toMatchObject({ PARLEY_ROLES: ['gateway'], PARLEY_ACK_TIMEOUT_MS: 7_000 });
    expect(loadApiConfig(shared)).toMatchObject({ PARLEY_API_PORT: 8090, PARLEY_MAX_PAYLOAD_BYTES: 32_768 });
  });

  it("ignores another service's setting, even a value its owner would refuse", () => {
    const env = { ...shared, PARLEY_DELIVERY_ADMIN_PORT: 'not-a-port', PARLEY_GATEWAY_PORT: '99999' };
    expect(loadSequencerConfig(env)).not.toHaveProperty('PARLEY_DELIVERY_ADMIN_PORT');
    expect(loadSequencerConfig(env)).not.toHaveProperty('PARLEY_GATEWAY_PORT');
    expect(refusal(() => loadDeliveryConfig(env))).toMatch(/PARLEY_DELIVERY_ADMIN_PORT/);
    expect(refusal(() => loadGatewayConfig(env))).toMatch(/PARLEY_GATEWAY_PORT/);
  });

  it('still validates its own settings', () => {
    expect(refusal(() => loadSequencerConfig({ ...shared, PARLEY_SEQUENCER_ADMIN_PORT: '70000' }))).toMatch(/PARLEY_SEQUENCER_ADMIN_PORT/);
    expect(refusal(() => loadGatewayConfig({ ...shared, PARLEY_DRAIN_DELAY_MS: '-1' }))).toMatch(/PARLEY_DRAIN_DELAY_MS/);
    expect(refusal(() => loadDeliveryConfig({ ...shared, PARLEY_ACK_TIMEOUT_MS: 'soon' }))).toMatch(/PARLEY_ACK_TIMEOUT_MS/);
  });

  it.each(Object.entries(loaders))('%s refuses a PARLEY_ name no service reads, naming it', (_service, load) => {
    const message = refusal(() => load({ ...shared, PARLEY_ACK_TIMEOUT: '7000' }));
    expect(message).toMatch(/PARLEY_ACK_TIMEOUT: unknown setting/);
    expect(message).not.toMatch(/PARLEY_ACK_TIMEOUT_MS/);
  });

  it('the catalog of setting names is the union of the services\' schemas (add a new setting to packages/runtime/src/settings-catalog.ts)', () => {
    const union = new Set(SCHEMAS.flatMap((shape) => Object.keys(shape)));
    expect([...PARLEY_SETTING_NAMES].sort()).toEqual([...union].sort());
  });

  it('documents every setting in the README configuration table', () => {
    const undocumented = PARLEY_SETTING_NAMES.filter((name) => !readmeDefaults.has(name));
    expect(undocumented).toEqual([]);
  });

  it("documents each setting's default in the README table (every service's default, where they differ)", () => {
    const wrong = new Set<string>();
    for (const shape of SCHEMAS as ReadonlyArray<Record<string, { parse: (v: unknown) => unknown }>>) {
      for (const [name, schema] of Object.entries(shape)) {
        if (COMPUTED_DEFAULTS.has(name)) continue;
        const value = schema.parse(undefined);
        const expected = Array.isArray(value) ? value.join(',') : String(value ?? '');
        if (expected === '') continue; // unset or empty means "none", "off" or "embedded": the cell says so in words
        const cell = readmeDefaults.get(name);
        if (cell === undefined || !defaultTokens(cell).includes(expected)) wrong.add(`${name}: README says "${cell ?? '(no row)'}", the schema ${expected}`);
      }
    }
    expect([...wrong]).toEqual([]);
  });
});
