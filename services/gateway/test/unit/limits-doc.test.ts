// docs/PROTOCOL.md "Limits" against the source, both derived, never a list kept by hand here:
// the table's settings are exactly the gateway schema's client limits (`clientLimitSettings`),
// each in the settings catalogue (settings-catalog.ts) and documented with its real default,
// and the table names every reason of the limit counter (LIMIT_HIT_REASONS, the only reasons
// that type-check where it is counted). (The README's configuration table is held to every
// service's schema, defaults included, by services/server's shared-config test.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARLEY_SETTING_NAMES } from '@parley/runtime';
import { clientLimitSettings, gatewaySettings } from '../../src/gateway-config';
import { LIMIT_HIT_REASONS } from '../../src/gateway-metrics';

const root = join(__dirname, '../../../..');
const protocol = readFileSync(join(root, 'docs/PROTOCOL.md'), 'utf8');
const limitsSection = protocol.slice(protocol.indexOf('## Limits'));
const limitsTable = limitsSection.slice(0, limitsSection.indexOf('\n\n', limitsSection.indexOf('| --- |')));

/** Rows `| limit | `SETTING` | default | ... |` of the Limits table. */
const rows = [...limitsTable.matchAll(/^\| [^|]+ \| `(PARLEY_[A-Z_]+)` \| ([^|]*) \|/gm)].map((m) => ({ setting: m[1]!, documented: m[2]!.trim() }));

const LIMIT_SETTINGS = Object.keys(clientLimitSettings);
const settings = gatewaySettings as Record<string, { parse: (v: unknown) => unknown }>;
const defaultOf = (setting: string): string => {
  const value = settings[setting]!.parse(undefined);
  return Array.isArray(value) ? value.join(',') : String(value);
};

describe('the documented limits and the gateway configuration', () => {
  it('lists exactly the client limits of the gateway schema in PROTOCOL.md "Limits"', () => {
    expect(LIMIT_SETTINGS.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.setting).sort()).toEqual([...LIMIT_SETTINGS].sort());
  });

  it.each(LIMIT_SETTINGS)('%s is a gateway setting in the catalogue, documented with its default in PROTOCOL.md', (setting) => {
    expect(settings[setting]).toBe((clientLimitSettings as Record<string, unknown>)[setting]);
    expect(PARLEY_SETTING_NAMES).toContain(setting);
    expect(rows.find((r) => r.setting === setting)?.documented).toBe(defaultOf(setting));
  });

  it.each([...LIMIT_HIT_REASONS])('documents the reason `%s` of parley_gateway_limit_hits_total', (reason) => {
    expect(limitsTable).toContain(`(\`${reason}\``);
  });
});
