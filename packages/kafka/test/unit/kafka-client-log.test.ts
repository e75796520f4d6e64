// kafkajs' log lines as parley reports them: a broker's retriable answers during start-up
// (which kafkajs logs at error level and retries by itself) are not errors of parley.
import { levelOf } from '../../src/kafka-client';

describe('the level of kafkajs log lines', () => {
  it.each([
    "The coordinator is loading and hence can't process requests for this group",
    'The group coordinator is not available',
    'This server is not the leader for that topic-partition',
    'There is no leader for this topic-partition as we are in the middle of a leadership election',
    'The group is rebalancing, so a rejoin is needed',
  ])('reports the retried answer "%s" below error', (answer) => {
    expect(levelOf('error', 'Connection', { error: answer })).toBe('info');
  });

  it('keeps other broker errors at error level', () => {
    expect(levelOf('error', 'Connection', { error: 'Not authorized to access topics: [Topic authorization failed.]' })).toBe('error');
    expect(levelOf('error', 'Consumer', { error: 'The group coordinator is not available' })).toBe('error');
    expect(levelOf('warn', 'Connection', { error: 'anything' })).toBe('warn');
  });
});
