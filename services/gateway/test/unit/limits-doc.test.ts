// docs/PROTOCOL.md "Limits" against the gateway's configuration schema: every limit names a
// real setting with its real default, every limit setting of the schema is in the table, and
// every reason the limit counter uses is documented. (The README's configuration table is
// held to every service's schema, defaults included, by services/server's shared-config test.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewaySettings } from '../../src/gateway-config';

const root = join(__dirname, '../../../..');
const protocol = readFileSync(join(root, 'docs/PROTOCOL.md'), 'utf8');
const limitsSection = protocol.slice(protocol.indexOf('## Limits'));

/** Rows `| limit | `SETTING` | default | ... |` of the Limits table. */
const rows = [...limitsSection.matchAll(/^\| [^|]+ \| `(PARLEY_[A-Z_]+)` \| ([^|]*) \|/gm)].map((m) => ({ setting: m[1]!, documented: m[2]!.trim() }));

const settings = gatewaySettings as Record<string, { parse: (v: unknown) => unknown }>;
const defaultOf = (setting: string): string => {
  const value = settings[setting]!.parse(undefined);
  return Array.isArray(value) ? value.join(',') : String(value);
};

/** The gateway's settings that are limits a client can run into. */
const LIMIT_SETTINGS = [
  'PARLEY_MAX_FRAME_BYTES',
  'PARLEY_MAX_PAYLOAD_BYTES',
  'PARLEY_RATE_LIMIT_FRAMES_PER_SEC',
  'PARLEY_FLOOD_CLOSE_MS',
  'PARLEY_MAX_CONNECTIONS_PER_USER',
  'PARLEY_CONNECTS_PER_USER_PER_MIN',
  'PARLEY_CONNECT_BURST_PER_USER',
  'PARLEY_CONNECTS_PER_ADDRESS_PER_MIN',
  'PARLEY_CONNECT_BURST_PER_ADDRESS',
  'PARLEY_CONNECT_LIMIT_EXEMPT',
  'PARLEY_MAX_TOKEN_BYTES',
  'PARLEY_MAX_OFFLINE_PAGE',
  'PARLEY_MAX_GROUP_MEMBERS',
  'PARLEY_HEARTBEAT_INTERVAL_MS',
  'PARLEY_TYPING_MIN_INTERVAL_MS',
];

describe('the documented limits and the gateway configuration', () => {
  it('lists every limit setting in PROTOCOL.md "Limits"', () => {
    expect(rows.map((r) => r.setting).sort()).toEqual([...LIMIT_SETTINGS].sort());
  });

  it.each(LIMIT_SETTINGS)('%s is a gateway setting documented with its default in PROTOCOL.md', (setting) => {
    expect(settings[setting]).toBeDefined();
    expect(rows.find((r) => r.setting === setting)?.documented).toBe(defaultOf(setting));
  });

  it('documents every reason of parley_gateway_limit_hits_total', () => {
    for (const reason of ['rate_limited', 'flood', 'connection_limit', 'connect_rate_user', 'connect_rate_address', 'token_too_large', 'frame_too_large', 'text_frame', 'replaced', 'typing']) {
      expect(limitsSection).toContain(`\`${reason}\``);
    }
  });
});
