import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { DaemonSet } from '../types.js';
import { daemonSetRules, setDefaultsDaemonSet, setDefaultsDaemonSetStatus, validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from './daemonset.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

/** A minimal valid DaemonSet, not yet defaulted. */
function newDaemonSet(): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'agent', image: 'agent:1.0' }] } },
    },
  };
}

/** `before` runs on the raw object, `after` on the defaulted one (to bypass defaulting). */
function defaulted(before?: (ds: DaemonSet) => void, after?: (ds: DaemonSet) => void): DaemonSet {
  const ds = newDaemonSet();
  before?.(ds);
  setDefaultsDaemonSet(ds);
  after?.(ds);
  return ds;
}

describe('setDefaultsDaemonSet()', () => {
  it('defaults the node-exporter seed as a real cluster shows it', () => {
    const ds = YAML.parse(
      `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      containers:
      - name: node-exporter
        image: prom/node-exporter:v1.5.0
        ports: [{containerPort: 9100, name: metrics}]
        volumeMounts: [{name: proc, mountPath: /host/proc, readOnly: true}]
      volumes: [{name: proc, hostPath: {path: /proc}}]
`,
      { version: '1.1' },
    ) as DaemonSet;
    daemonSetRules.applyDefaults(ds);
    assert.deepEqual(ds.spec, {
      selector: { matchLabels: { app: 'node-exporter' } },
      template: {
        metadata: { labels: { app: 'node-exporter' } },
        spec: {
          hostNetwork: true,
          containers: [
            {
              name: 'node-exporter',
              image: 'prom/node-exporter:v1.5.0',
              // Templates keep hostPort unset even under hostNetwork; only pods get it.
              ports: [{ containerPort: 9100, name: 'metrics', protocol: 'TCP' }],
              volumeMounts: [{ name: 'proc', mountPath: '/host/proc', readOnly: true }],
              resources: {},
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          volumes: [{ name: 'proc', hostPath: { path: '/proc', type: '' } }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
          schedulerName: 'default-scheduler',
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  const cases: { name: string; before: (ds: DaemonSet) => void; check: (ds: DaemonSet) => void }[] = [
    {
      name: 'leaves an OnDelete strategy without rollingUpdate',
      before: (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }),
      check: (ds) => assert.deepEqual(ds.spec.updateStrategy, { type: 'OnDelete' }),
    },
    {
      name: 'defaults maxUnavailable to 1 even when maxSurge is set',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxSurge: 1 } }),
      check: (ds) => assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }),
    },
    {
      name: 'keeps explicit values, zero included',
      before: (ds) => {
        ds.spec.revisionHistoryLimit = 0;
        ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } };
      },
      check: (ds) => {
        assert.equal(ds.spec.revisionHistoryLimit, 0);
        assert.deepEqual(ds.spec.updateStrategy?.rollingUpdate, { maxUnavailable: '25%', maxSurge: 0 });
      },
    },
    {
      name: 'pulls :latest images always',
      before: (ds) => (ds.spec.template.spec.containers[0].image = 'agent:latest'),
      check: (ds) => assert.equal(ds.spec.template.spec.containers[0].imagePullPolicy, 'Always'),
    },
    {
      name: 'gives templates no pod-only defaults',
      before: (ds) => (ds.spec.template.spec.containers[0].resources = { limits: { cpu: '1' } }),
      check: (ds) => {
        assert.equal(ds.spec.template.spec.enableServiceLinks, undefined);
        assert.deepEqual(ds.spec.template.spec.containers[0].resources, { limits: { cpu: '1' } });
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => c.check(defaulted(c.before)));
  }

  it('is idempotent', () => {
    const once = defaulted();
    const twice = structuredClone(once);
    setDefaultsDaemonSet(twice);
    assert.deepEqual(twice, once);
  });
});

describe('validateDaemonSet()', () => {
  const percentMessage =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
  const cases: { name: string; before?: (ds: DaemonSet) => void; after?: (ds: DaemonSet) => void; want: string[] }[] = [
    { name: 'accepts a minimal DaemonSet', want: [] },
    {
      name: 'reports a missing selector as not matching the template',
      before: (ds) => delete (ds.spec as Partial<DaemonSet['spec']>).selector,
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    },
    {
      name: 'rejects a selector that does not select the template labels',
      before: (ds) => (ds.spec.selector = { matchLabels: { app: 'y' } }),
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    },
    {
      name: 'rejects an empty selector',
      before: (ds) => (ds.spec.selector = {}),
      want: [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
      ],
    },
    {
      name: 'reports an invalid selector operator once',
      before: (ds) => (ds.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Foo' as 'In' }] }),
      want: ['spec.selector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator'],
    },
    {
      name: 'rejects restartPolicy OnFailure',
      before: (ds) => (ds.spec.template.spec.restartPolicy = 'OnFailure'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    },
    {
      name: 'rejects restartPolicy Never',
      before: (ds) => (ds.spec.template.spec.restartPolicy = 'Never'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'forbids activeDeadlineSeconds',
      before: (ds) => (ds.spec.template.spec.activeDeadlineSeconds = 30),
      want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
    },
    {
      name: 'rejects a negative minReadySeconds',
      before: (ds) => (ds.spec.minReadySeconds = -1),
      want: ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'rejects a negative revisionHistoryLimit',
      before: (ds) => (ds.spec.revisionHistoryLimit = -1),
      want: ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    },
    { name: 'accepts a revisionHistoryLimit of 0', before: (ds) => (ds.spec.revisionHistoryLimit = 0), want: [] },
    {
      name: 'rejects an unknown strategy type',
      before: (ds) => (ds.spec.updateStrategy = { type: 'Foo' as 'OnDelete' }),
      want: [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    },
    {
      name: 'requires rollingUpdate when defaulting was bypassed',
      after: (ds) => delete ds.spec.updateStrategy?.rollingUpdate,
      want: ['spec.updateStrategy.rollingUpdate: Required value'],
    },
    {
      name: 'rejects a negative maxUnavailable',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: -1 } }),
      want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'rejects a maxUnavailable that is no percentage (and so counts as 0)',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 'abc' } }),
      want: [
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"abc"}: ${percentMessage}`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ],
    },
    {
      name: 'rejects a percentage above 100%',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '120%' } }),
      want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%'],
    },
    {
      name: 'rejects maxSurge alone (maxUnavailable defaults to 1)',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxSurge: 1 } }),
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'],
    },
    {
      name: 'rejects both bounds zero',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0 } }),
      want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    },
    {
      name: 'treats "0%" as zero',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '0%', maxSurge: '0%' } }),
      want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    },
    {
      name: 'accepts surging with maxUnavailable 0',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } }),
      want: [],
    },
    {
      name: 'rejects both bounds non-zero as percentages',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '10%', maxSurge: '20%' } }),
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20%"}: may not be set when maxUnavailable is non-zero'],
    },
    {
      name: 'rejects a negative maxSurge, and counts it as set',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxSurge: -1 } }),
      want: [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:-1, StrVal:""}: may not be set when maxUnavailable is non-zero',
      ],
    },
    {
      name: 'rejects a negative maxSurge next to maxUnavailable 0 once',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: -2 } }),
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: -2: must be greater than or equal to 0'],
    },
    {
      name: 'rejects a maxSurge above 100%',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '101%' } }),
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%'],
    },
    {
      name: 'reports both percentages above 100% before the combination',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '150%', maxSurge: '200%' } }),
      want: [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"200%"}: must not be greater than 100%',
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"200%"}: may not be set when maxUnavailable is non-zero',
      ],
    },
    { name: 'accepts maxSurge 100% with maxUnavailable 0', before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '100%' } }), want: [] },
    { name: 'accepts maxUnavailable 100%', before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '100%' } }), want: [] },
    {
      name: 'reads a numeric string as a bad percentage worth its number',
      before: (ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '0', maxSurge: 0 } }),
      want: [
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0"}: ${percentMessage}`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ],
    },
    {
      name: 'counts absent bounds as zero when defaulting was bypassed',
      after: (ds) => (ds.spec.updateStrategy!.rollingUpdate = {}),
      want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    },
    {
      name: 'rejects an empty strategy type when defaulting was bypassed',
      after: (ds) => (ds.spec.updateStrategy = { type: '' as 'OnDelete' }),
      want: [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    },
    {
      name: 'rejects an unknown strategy type whatever rollingUpdate holds',
      before: (ds) => (ds.spec.updateStrategy = { type: 'Canary' as 'OnDelete', rollingUpdate: { maxUnavailable: 0 } }),
      want: [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Canary", RollingUpdate:(*apps.RollingUpdateDaemonSet)(0xc000000000)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    },
    {
      name: 'does not check rollingUpdate under OnDelete',
      before: (ds) => (ds.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { maxUnavailable: 5, maxSurge: 5 } }),
      want: [],
    },
    {
      name: 'reports template label errors at spec.template.labels',
      before: (ds) => (ds.spec.template.metadata!.labels = { app: 'x', tier: 'bad value' }),
      want: [
        "spec.template.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: 'treats a missing template as an empty one',
      before: (ds) => delete (ds.spec as Partial<DaemonSet['spec']>).template,
      want: [
        'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
        'spec.template.spec.containers: Required value',
      ],
    },
    {
      name: 'validates the pod template',
      before: (ds) => delete ds.spec.template.spec.containers[0].image,
      want: ['spec.template.spec.containers[0].image: Required value'],
    },
    {
      name: 'leaves template host ports to the pods under host networking',
      before: (ds) => {
        ds.spec.template.spec.hostNetwork = true;
        ds.spec.template.spec.containers[0].ports = [{ containerPort: 9100 }];
      },
      want: [],
    },
    {
      name: 'rejects a template host port that differs under host networking',
      before: (ds) => {
        ds.spec.template.spec.hostNetwork = true;
        ds.spec.template.spec.containers[0].ports = [{ containerPort: 9100, hostPort: 8080 }];
      },
      want: ['spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
    },
    {
      name: 'forbids ephemeral containers in the template',
      before: (ds) => (ds.spec.template.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1' }]),
      want: ['spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template'],
    },
    {
      name: 'requires a namespace',
      before: (ds) => delete ds.metadata.namespace,
      want: ['metadata.namespace: Required value'],
    },
    {
      name: 'requires a DNS subdomain name',
      before: (ds) => (ds.metadata.name = 'Agent_1'),
      want: [
        "metadata.name: Invalid value: \"Agent_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    {
      name: 'rejects a non-standard finalizer without a domain',
      before: (ds) => (ds.metadata.finalizers = ['cleanup']),
      want: ['metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateDaemonSet(defaulted(c.before, c.after))), c.want));
  }

  it('uses the upstream error types', () => {
    const errors = validateDaemonSet(defaulted((ds) => (ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0 } })));
    assert.deepEqual(
      errors.map((e) => [e.type, e.field]),
      [['FieldValueRequired', 'spec.updateStrategy.rollingUpdate.maxUnavailable']],
    );
  });
});

describe('validateDaemonSetUpdate()', () => {
  const withTier = (ds: DaemonSet): void => {
    ds.spec.template.metadata!.labels = { app: 'x', tier: 'y' };
  };
  const cases: { name: string; change: (ds: DaemonSet) => void; want: string[] }[] = [
    { name: 'accepts a new image', change: (ds) => (ds.spec.template.spec.containers[0].image = 'agent:2.0'), want: [] },
    { name: 'accepts a new strategy', change: (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }), want: [] },
    {
      name: 'rejects a changed selector',
      change: (ds) => (ds.spec.selector = { matchLabels: { app: 'x', tier: 'y' } }),
      want: [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "tier":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      ],
    },
    {
      name: 'reports spec errors twice, as upstream does',
      change: (ds) => (ds.spec.minReadySeconds = -1),
      want: ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0', 'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = defaulted(withTier);
      const next = structuredClone(old);
      c.change(next);
      setDefaultsDaemonSet(next);
      assert.deepEqual(messages(validateDaemonSetUpdate(next, old)), c.want);
    });
  }

  it('treats a selector with an empty matchExpressions list as unchanged', () => {
    const old = defaulted();
    const next = structuredClone(old);
    next.spec.selector.matchExpressions = [];
    assert.deepEqual(validateDaemonSetUpdate(next, old), []);
  });
});

describe('validateDaemonSetStatusUpdate()', () => {
  const status = { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1 };
  const cases: { name: string; next: Partial<DaemonSet['status']>; old?: Partial<DaemonSet['status']>; want: string[] }[] = [
    { name: 'accepts a plain status', next: {}, want: [] },
    { name: 'rejects a negative counter', next: { numberReady: -1 }, want: ['status.numberReady: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'rejects a negative observedGeneration',
      next: { observedGeneration: -2 },
      want: ['status.observedGeneration: Invalid value: -2: must be greater than or equal to 0'],
    },
    { name: 'rejects a decremented collisionCount', next: { collisionCount: 1 }, old: { collisionCount: 2 }, want: ['status.collisionCount: Invalid value: 1: cannot be decremented'] },
    { name: 'treats a removed collisionCount as 0', next: {}, old: { collisionCount: 2 }, want: ['status.collisionCount: Invalid value: 0: cannot be decremented'] },
    { name: 'accepts a growing collisionCount', next: { collisionCount: 3 }, old: { collisionCount: 2 }, want: [] },
    {
      name: 'rejects a negative collisionCount',
      next: { collisionCount: -1 },
      want: ['status.collisionCount: Invalid value: -1: must be greater than or equal to 0'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = { ...defaulted(), status: { ...status, ...c.old } } as DaemonSet;
      const next = { ...defaulted(), status: { ...status, ...c.next } } as DaemonSet;
      assert.deepEqual(messages(validateDaemonSetStatusUpdate(next, old)), c.want);
    });
  }
});

describe('setDefaultsDaemonSetStatus()', () => {
  const cases: { name: string; status: Record<string, unknown>; expected: Record<string, unknown> }[] = [
    {
      name: 'counters upstream omits at 0 leave; the four it always prints stay',
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0, collisionCount: 0, conditions: [] },
      expected: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, collisionCount: 0 },
    },
    {
      name: 'counters above 0 stay',
      status: { desiredNumberScheduled: 3, observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 1 },
      expected: { desiredNumberScheduled: 3, observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: {}, status: c.status } as unknown as DaemonSet;
      setDefaultsDaemonSetStatus(ds);
      assert.deepEqual(ds.status, c.expected);
    });
  }
});
