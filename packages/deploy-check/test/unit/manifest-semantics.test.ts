// What schemas cannot see in the rendered manifests: selectors that match nothing, port names
// Kubernetes refuses, probes on ports nobody listens on, settings no service knows, and the
// hardening every parley pod must keep.
import { apiSettings, loadApiConfig } from '@parley/api';
import { deliveryAdminSettings, loadDeliveryConfig } from '@parley/delivery';
import { gatewaySettings, loadGatewayConfig } from '@parley/gateway';
import { loadSequencerConfig, sequencerSettings } from '@parley/sequencer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@parley/testkit';
import { Container, fastTools, K8sObject, kustomizeBuild, objectsOfKind, OVERLAYS, parleyWorkloads, selects, ServiceObject, workloads } from '../../src';

const tools = fastTools();
const knownSettings = new Set([...Object.keys(gatewaySettings), ...Object.keys(sequencerSettings), ...Object.keys(deliveryAdminSettings), ...Object.keys(apiSettings)]);

/** Each service's own configuration loader, as its main.ts calls it. */
const LOADERS: Record<string, (environment: NodeJS.ProcessEnv) => Record<string, unknown>> = {
  gateway: loadGatewayConfig,
  sequencer: loadSequencerConfig,
  delivery: loadDeliveryConfig,
  api: loadApiConfig,
};

/** The setting of the port each service serves /healthz, /readyz and /metrics on. */
const SERVED_PORT_SETTING: Record<string, string> = {
  gateway: 'PARLEY_GATEWAY_PORT',
  sequencer: 'PARLEY_SEQUENCER_ADMIN_PORT',
  delivery: 'PARLEY_DELIVERY_ADMIN_PORT',
  api: 'PARLEY_API_ADMIN_PORT',
};

/** The Secrets prod expects the operator to create (docs/DEPLOY.md "The JWT secret"). */
const OPERATOR_SECRETS = ['parley-jwt', 'parley-api'];

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  let objects: readonly K8sObject[];
  beforeAll(() => {
    objects = kustomizeBuild(tools.kustomize, `k8s/overlays/${overlay}`).objects;
  });

  const configData = () => {
    const maps = objectsOfKind<{ data: Record<string, string> } & K8sObject>(objects, 'ConfigMap').filter((m) => m.metadata.name.startsWith('parley-config'));
    expect(maps).toHaveLength(1);
    return maps[0]!.data;
  };

  it('selects the pods of every workload and Service with labels their pod templates carry', () => {
    for (const workload of workloads(objects)) {
      expect(selects(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels)).toBe(true);
    }
    for (const service of objectsOfKind<ServiceObject>(objects, 'Service')) {
      const backing = workloads(objects).filter((w) => selects(service.spec.selector, w.spec.template.metadata.labels));
      expect({ service: service.metadata.name, backing: backing.length }).toEqual({ service: service.metadata.name, backing: 1 });
      const ports = backing[0]!.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
      for (const port of service.spec.ports) {
        const target = ports.find((p) => p.name === port.targetPort || p.containerPort === port.targetPort);
        expect({ service: service.metadata.name, port: port.name, target: target !== undefined }).toEqual({ service: service.metadata.name, port: port.name, target: true });
      }
    }
  });

  it('names ports with at most 15 characters (IANA service names)', () => {
    const names = [
      ...workloads(objects).flatMap((w) => w.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name ?? ''))),
      ...objectsOfKind<ServiceObject>(objects, 'Service').flatMap((s) => s.spec.ports.map((p) => p.name)),
    ];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/);
  });

  it('puts only settings some service knows in the shared ConfigMap', () => {
    const unknown = Object.keys(configData()).filter((key) => key.startsWith('PARLEY_') && !knownSettings.has(key));
    expect(unknown).toEqual([]);
  });

  it('starts every service on the one shared ConfigMap plus its pod environment, as its own config loader reads it', () => {
    const secrets = new Map(
      objectsOfKind<K8sObject & { data?: Record<string, string> }>(objects, 'Secret').flatMap((secret) =>
        Object.entries(secret.data ?? {}).map(([key, value]) => [`${secret.metadata.name.replace(/-[a-z0-9]{10}$/, '')}/${key}`, Buffer.from(value, 'base64').toString('utf8')] as const),
      ),
    );
    const environmentOf = (container: Container): NodeJS.ProcessEnv => {
      const environment: NodeJS.ProcessEnv = { ...configData() };
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (variable.value !== undefined) environment[variable.name] = variable.value;
        else if (variable.valueFrom?.fieldRef) environment[variable.name] = 'parley-gateway-7d9c8b6f5-x2x4q';
        else if (ref) {
          const rendered = secrets.get(`${ref.name.replace(/-[a-z0-9]{10}$/, '')}/${ref.key}`);
          // An optional key the Secret lacks stays unset, as the kubelet leaves it; prod's
          // required Secret is the operator's: stand in a value of the required length.
          if (rendered !== undefined) environment[variable.name] = rendered;
          else if (!ref.optional) environment[variable.name] = 'an-operator-provided-secret-of-32-chars';
        }
      }
      return environment;
    };
    for (const workload of parleyWorkloads(objects)) {
      const service = workload.metadata.labels!['app.kubernetes.io/component']!;
      const config = LOADERS[service]!(environmentOf(workload.spec.template.spec.containers[0]!));
      expect(config[SERVED_PORT_SETTING[service]!]).toBe(Number(configData()[SERVED_PORT_SETTING[service]!]));
    }
  });

  it('drains a gateway well inside its termination grace period', () => {
    const data = configData();
    const gateway = parleyWorkloads(objects).find((w) => w.metadata.name === 'parley-gateway')!;
    const drainMs = Number(data.PARLEY_DRAIN_DELAY_MS) + Number(data.PARLEY_DRAIN_WINDOW_MS);
    // the uplink flush and process exit after the last slice take about a second
    expect(drainMs + 5_000).toBeLessThanOrEqual(gateway.spec.template.spec.terminationGracePeriodSeconds! * 1000);
  });

  it('runs each service with its name as argument, probes on the port its settings make it serve', () => {
    const data = configData();
    for (const workload of parleyWorkloads(objects)) {
      const service = workload.metadata.labels!['app.kubernetes.io/component']!;
      const [container] = workload.spec.template.spec.containers;
      expect(container!.args).toEqual([service]);
      const port = Number(data[SERVED_PORT_SETTING[service]!]);
      const named = new Map((container!.ports ?? []).map((p) => [p.name, p.containerPort]));
      for (const [probe, path] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz'], ['startupProbe', '/healthz']] as const) {
        const get = container![probe]?.httpGet;
        expect({ service, probe, path: get?.path, port: typeof get?.port === 'string' ? named.get(get.port) : get?.port }).toEqual({ service, probe, path, port });
      }
    }
  });

  it('hardens every parley pod and keeps Kubernetes from injecting PARLEY_* service variables', () => {
    for (const workload of parleyWorkloads(objects)) {
      const pod = workload.spec.template.spec;
      expect(pod.enableServiceLinks).toBe(false);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.terminationGracePeriodSeconds).toBe(30);
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
      const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName) as { automountServiceAccountToken?: boolean } | undefined;
      expect(account?.automountServiceAccountToken).toBe(false);
    }
  });

  it('refers only to ConfigMaps it renders, and to Secrets it renders or documents', () => {
    const rendered = (kind: string) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
    const configMaps = rendered('ConfigMap');
    const secrets = rendered('Secret');
    for (const workload of workloads(objects)) {
      for (const container of workload.spec.template.spec.containers) {
        for (const from of container.envFrom ?? []) {
          if (from.configMapRef) expect(configMaps).toContain(from.configMapRef.name);
          if (from.secretRef) expect(secrets).toContain(from.secretRef.name);
        }
        for (const variable of container.env ?? []) {
          const secret = variable.valueFrom?.secretKeyRef?.name;
          // prod: the JWT secret and the server API's keys are the operator's (docs/DEPLOY.md
          // "The JWT secret"), never in the repository.
          if (secret) expect(overlay === 'prod' ? OPERATOR_SECRETS.includes(secret) && !secrets.has(secret) : secrets.has(secret)).toBe(true);
        }
      }
    }
  });
});

describe('k8s/overlays/prod scaling and monitoring', () => {
  let objects: readonly K8sObject[];
  beforeAll(() => {
    objects = kustomizeBuild(tools.kustomize, 'k8s/overlays/prod').objects;
  });

  interface Hpa extends K8sObject {
    spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number; metrics: Array<{ type: string; pods?: { target: { averageValue: string } } }> };
  }

  it('autoscales every service: the gateway on connections, sequencer and delivery at most to the topics partitions on lag, the server API on CPU', () => {
    const partitions = Number(objectsOfKind<{ data: Record<string, string> } & K8sObject>(objects, 'ConfigMap')[0]!.data.PARLEY_TOPIC_PARTITIONS);
    expect(partitions).toBeGreaterThan(1);
    const hpas = objectsOfKind<Hpa>(objects, 'HorizontalPodAutoscaler');
    const deployments = new Set(parleyWorkloads(objects).map((w) => w.metadata.name));
    expect(new Set(hpas.map((h) => h.spec.scaleTargetRef.name))).toEqual(deployments);
    for (const hpa of hpas) {
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      const types = hpa.spec.metrics.map((m) => m.type);
      if (hpa.metadata.name === 'parley-gateway') expect(types).toEqual(['Pods', 'Resource']);
      else if (hpa.metadata.name === 'parley-api') expect(types).toEqual(['Resource']);
      else {
        expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
        expect(types).toEqual(['External', 'Resource']);
      }
    }
  });

  it('uses the numbers docs/DEPLOY.md "Sizing" derives: partitions, replica bounds, connections per gateway', () => {
    const deploy = readFileSync(path.join(repoRoot(), 'docs/DEPLOY.md'), 'utf8');
    const said = /The prod overlay uses these numbers\*\*: `PARLEY_TOPIC_PARTITIONS=(\d+)`, sequencer and delivery\s+autoscaled between (\d+) and (\d+) replicas[^,]*,\s+gateways\s+between (\d+) and (\d+) at ([\d,]+) connections each/.exec(deploy);
    expect(said).not.toBeNull();
    const [, partitions, consumersMin, consumersMax, gatewaysMin, gatewaysMax, perGateway] = said!.map((n) => n && n.replace(/,/g, ''));
    const config = objectsOfKind<{ data: Record<string, string> } & K8sObject>(objects, 'ConfigMap').find((m) => m.metadata.name.startsWith('parley-config'))!;
    expect(config.data.PARLEY_TOPIC_PARTITIONS).toBe(partitions);
    const hpas = objectsOfKind<Hpa>(objects, 'HorizontalPodAutoscaler');
    const bounds = (name: string) => hpas.filter((h) => h.metadata.name === name).map((h) => [String(h.spec.minReplicas), String(h.spec.maxReplicas)]);
    expect(bounds('parley-sequencer')).toEqual([[consumersMin, consumersMax]]);
    expect(bounds('parley-delivery')).toEqual([[consumersMin, consumersMax]]);
    expect(bounds('parley-gateway')).toEqual([[gatewaysMin, gatewaysMax]]);
    const gateway = hpas.find((h) => h.metadata.name === 'parley-gateway')!;
    expect(gateway.spec.metrics.find((m) => m.type === 'Pods')?.pods?.target.averageValue).toBe(perGateway);
  });

  it('budgets disruptions of every service, and sets requests and limits on every container', () => {
    const pdbs = objectsOfKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(objects, 'PodDisruptionBudget');
    for (const workload of parleyWorkloads(objects)) {
      expect(pdbs.filter((pdb) => selects(pdb.spec.selector.matchLabels, workload.spec.template.metadata.labels))).toHaveLength(1);
      for (const container of workload.spec.template.spec.containers) {
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
      expect(workload.spec.template.spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
    }
  });

  it('scrapes every service through a ServiceMonitor naming a port its Service has', () => {
    interface Monitor extends K8sObject {
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
    }
    const services = objectsOfKind<ServiceObject>(objects, 'Service');
    const monitors = objectsOfKind<Monitor>(objects, 'ServiceMonitor');
    expect(monitors).toHaveLength(parleyWorkloads(objects).length);
    for (const monitor of monitors) {
      const selected = services.filter((s) => selects(monitor.spec.selector.matchLabels, s.metadata.labels));
      expect(selected).toHaveLength(1);
      for (const endpoint of monitor.spec.endpoints) {
        expect(endpoint.path).toBe('/metrics');
        expect(selected[0]!.spec.ports.map((p) => p.name)).toContain(endpoint.port);
      }
    }
  });
});

describe('k8s/overlays/dev in-cluster Kafka and Redis', () => {
  it('points parley at the Kafka and Redis Services it renders, Kafka advertising the address parley dials', () => {
    const objects = kustomizeBuild(tools.kustomize, 'k8s/overlays/dev').objects;
    const data = objectsOfKind<{ data: Record<string, string> } & K8sObject>(objects, 'ConfigMap').find((m) => m.metadata.name.startsWith('parley-config'))!.data;
    const services = objectsOfKind<ServiceObject>(objects, 'Service');
    const served = (host: string, port: number) => services.some((s) => s.metadata.name === host && s.spec.ports.some((p) => p.port === port));
    const brokers = data.PARLEY_KAFKA_BROKERS!.split(',');
    expect(brokers.length).toBeGreaterThan(0);
    for (const broker of brokers) {
      const [host, port] = broker.split(':');
      expect(served(host!, Number(port))).toBe(true);
    }
    const redis = new URL(data.PARLEY_REDIS_URL!);
    expect(served(redis.hostname, Number(redis.port))).toBe(true);
    const kafka = workloads(objects).find((w) => w.metadata.name === 'parley-kafka')!;
    const advertised = kafka.spec.template.spec.containers[0]!.env!.find((e) => e.name === 'KAFKA_ADVERTISED_LISTENERS')!.value!;
    expect(advertised.replace(/^PLAINTEXT:\/\//, '').split(',')).toEqual(brokers);
  });
});
