// The sequencer's configuration: environment variables, defaults, units and validation.
import { env, loadConfig } from '@parley/observability';
import { infrastructureSettings } from '@parley/runtime';

export const sequencerSettings = {
  ...infrastructureSettings,
  PARLEY_SEQUENCER_ADMIN_PORT: env.int(0, 65535, 9091),
};

export type SequencerConfig = ReturnType<typeof loadConfig<typeof sequencerSettings>>;

export function loadSequencerConfig(source: NodeJS.ProcessEnv): SequencerConfig {
  return loadConfig(sequencerSettings, source);
}
