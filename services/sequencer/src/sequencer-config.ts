// The sequencer's configuration: environment variables, defaults, units and validation.
import { env, loadConfig } from '@parley/config';
import { appEventSettings, consumerSettings, infrastructureSettings, PARLEY_SETTING_NAMES } from '@parley/runtime';

export const sequencerSettings = {
  ...infrastructureSettings,
  ...consumerSettings,
  ...appEventSettings,
  PARLEY_SEQUENCER_ADMIN_PORT: env.int(0, 65535, 9091),
  /** Largest group, in members. */
  PARLEY_MAX_GROUP_MEMBERS: env.int(2, 1_000_000, 100_000),
};

export type SequencerConfig = ReturnType<typeof loadConfig<typeof sequencerSettings>>;

/** The sequencer's settings from `source`; the other services' settings are ignored (settings-catalog.ts). */
export function loadSequencerConfig(source: NodeJS.ProcessEnv): SequencerConfig {
  return loadConfig(sequencerSettings, source, PARLEY_SETTING_NAMES);
}
