/**
 * Admission: the plugins that may change or refuse a write after it is decoded and defaulted, with a
 * view of the cluster's current objects. The registry calls {@link Admission.admit} (mutating plugins)
 * before validating an object and {@link Admission.validate} (validating plugins) after, as upstream's
 * create and update handlers do around `rest.BeforeCreate` / `rest.BeforeUpdate`.
 *
 * Plugins (upstream's names and order): PodSecurity (validating), Priority (mutating and validating),
 * DefaultTolerationSeconds (mutating).
 * Namespace lifecycle checks stay in the registry, which runs them before anything else.
 */
import type { KubeObject, Namespace, Pod, PriorityClass } from '../../api/types.js';
import { findResource, storageKey, type ResourceInfo } from '../resources.js';
import type { WatchCache } from '../watch-cache.js';
import { defaultTolerationSecondsPlugin } from './default-toleration-seconds.js';
import { podSecurityPlugin } from './pod-security.js';
import { priorityPlugin } from './priority.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE';

/** One write as admission sees it. Plugins may mutate `object` in `admit`, never in `validate`. */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  resource: ResourceInfo;
  subresource?: string;
  namespace?: string;
  /**
   * The name errors carry. While mutating a create it is the name the client sent, or else its
   * generateName (upstream generates the suffix only afterwards); when validating it is the final name.
   */
  name: string;
  object: KubeObject;
  /** The stored object, for an update. */
  oldObject?: KubeObject;
}

/** What admission may read: current objects, served from the watch cache. Treat them as frozen. */
export interface ClusterView {
  namespace(name: string): Namespace | undefined;
  priorityClass(name: string): PriorityClass | undefined;
  priorityClasses(): PriorityClass[];
  pods(namespace: string): Pod[];
}

/** An admission plugin. Each phase throws a `StatusError` to refuse the request. */
export interface AdmissionPlugin {
  name: string;
  /** Mutating phase: may change `request.object`. */
  admit?(request: AdmissionRequest, view: ClusterView): void;
  /** Validating phase: may only refuse or warn. Returns warnings for the client. */
  validate?(request: AdmissionRequest, view: ClusterView): string[];
}

/** The plugins everynode runs, in upstream's order. */
export const defaultPlugins: readonly AdmissionPlugin[] = [podSecurityPlugin, priorityPlugin, defaultTolerationSecondsPlugin];

export class Admission {
  constructor(
    private readonly view: ClusterView,
    private readonly plugins: readonly AdmissionPlugin[] = defaultPlugins,
  ) {}

  /** Runs every mutating plugin in order; throws the first refusal. */
  admit(request: AdmissionRequest): void {
    for (const plugin of this.plugins) plugin.admit?.(request, this.view);
  }

  /** Runs every validating plugin in order; throws the first refusal, otherwise returns all warnings. */
  validate(request: AdmissionRequest): string[] {
    const warnings: string[] = [];
    for (const plugin of this.plugins) {
      const found = plugin.validate?.(request, this.view);
      if (found?.length) warnings.push(...found);
    }
    return warnings;
  }
}

const resources = {
  namespaces: findResource('', 'v1', 'namespaces')!,
  pods: findResource('', 'v1', 'pods')!,
  priorityClasses: findResource('scheduling.k8s.io', 'v1', 'priorityclasses')!,
};

/** A {@link ClusterView} over the watch cache (O(1) gets; lists only what a plugin asks for). */
export function watchCacheView(cache: WatchCache): ClusterView {
  return {
    namespace: (name) => cache.get(resources.namespaces, storageKey(resources.namespaces, undefined, name))?.object as Namespace | undefined,
    priorityClass: (name) => cache.get(resources.priorityClasses, storageKey(resources.priorityClasses, undefined, name))?.object as PriorityClass | undefined,
    priorityClasses: () => cache.list(resources.priorityClasses).map((cached) => cached.object as PriorityClass),
    pods: (namespace) => cache.list(resources.pods, namespace).map((cached) => cached.object as Pod),
  };
}

export { evaluatePod, forbiddenDetail, forbiddenReason, type Level, type Violation } from './pod-security-checks.js';
export { policyToEvaluate, type Policy } from './pod-security.js';
