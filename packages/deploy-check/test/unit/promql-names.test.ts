import { metricNamesIn, registeredSeriesNames } from '../../src';

describe('metricNamesIn', () => {
  it('finds the metrics of an expression, not its functions, labels, keywords or variables', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (namespace, le) (rate(parley_e2e_push_latency_seconds_bucket{pod=~"$pod", le!="0.5"}[$__rate_interval])))',
      ),
    ).toEqual(['parley_e2e_push_latency_seconds_bucket']);
    expect(
      metricNamesIn(
        'max by (group, topic) (parley_bus_consumer_lag) > 1000 and on (group) max without (pod) (delta(parley_bus_consumer_lag[10m] offset 5m)) > 0 or absent(up{job="parley-gateway"})',
      ),
    ).toEqual(['parley_bus_consumer_lag', 'up']);
    expect(metricNamesIn('sum(rate(parley_retransmits_total[5m])) / sum(rate(parley_packets_total{type="msg:N"}[5m])) * 100')).toEqual([
      'parley_packets_total',
      'parley_retransmits_total',
    ]);
  });
});

describe('registeredSeriesNames', () => {
  it('holds parley registrations with histograms expanded, and the default process metrics', async () => {
    const names = await registeredSeriesNames();
    for (const name of ['parley_gateway_connections', 'parley_bus_consumer_lag', 'parley_e2e_ack_latency_seconds_bucket', 'parley_store_data_loss_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'up']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('parley_e2e_ack_latency_seconds');
    expect(names).not.toContain('parley_no_such_metric_total');
  });
});
