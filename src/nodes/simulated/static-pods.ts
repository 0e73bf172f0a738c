/**
 * Static pods: pods a kubelet runs from manifest files on its node, without the API server's say. The
 * kubelet publishes a mirror pod for each, so the API shows it; deleting the mirror pod does not stop the
 * static pod, the kubelet publishes it again. Upstream: pkg/kubelet/config (file source, applyDefaults)
 * and pkg/kubelet/pod/mirror_client.go.
 *
 * A simulated node reads the manifests in the directory its `everynode.dev/static-pods` annotation names
 * (one pod per `.yaml`, `.yml` or `.json` file), every 20 s as the kubelet's file source does.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Node, Pod } from '../../api/types.js';
import { hexHash } from './hash.js';

/** Node annotation: the directory of static pod manifests. */
export const staticPodsAnnotation = 'everynode.dev/static-pods';

/** Upstream's annotations on static and mirror pods. */
export const configMirrorAnnotation = 'kubernetes.io/config.mirror';
export const configHashAnnotation = 'kubernetes.io/config.hash';
export const configSeenAnnotation = 'kubernetes.io/config.seen';
export const configSourceAnnotation = 'kubernetes.io/config.source';

/**
 * How long a deleted mirror pod stays away before it is published again. The kubelet republishes on
 * a later pod sync; doing it at once would often let `kubectl delete`, which lists by name and then
 * watches, find the new mirror pod under the old name and wait for it to go too.
 */
export const mirrorPodRepublishMs = 1000;

/** How often the manifest directory is read again (upstream's fileCheckFrequency). */
export const staticPodScanMs = 20_000;

/** One static pod as read from its file: the pod it becomes on the node, and its hash. */
export interface StaticPod {
  file: string;
  pod: Pod;
  hash: string;
}

export interface StaticPodScan {
  pods: StaticPod[];
  /** Files that could not be read as a pod, with the reason (the kubelet logs and skips them). */
  errors: string[];
}

/** Whether `pod` is a mirror pod (it carries the config.mirror annotation). */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[configMirrorAnnotation] !== undefined;
}

/** Reads every manifest in `dir` and turns each into the static pod it defines on `node`. */
export function readStaticPods(dir: string, node: Node): StaticPodScan {
  const scan: StaticPodScan = { pods: [], errors: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => /\.(ya?ml|json)$/.test(file) && !file.startsWith('.')).sort();
  } catch (error) {
    scan.errors.push(`${dir}: ${(error as Error).message}`);
    return scan;
  }
  for (const file of files) {
    try {
      const manifest = YAML.parse(readFileSync(join(dir, file), 'utf8')) as Pod | null;
      if (!manifest || manifest.kind !== 'Pod' || !manifest.metadata?.name || !Array.isArray(manifest.spec?.containers)) {
        scan.errors.push(`${file}: not a Pod manifest with a name and containers`);
        continue;
      }
      scan.pods.push(staticPodFromManifest(file, manifest, node));
    } catch (error) {
      scan.errors.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return scan;
}

/**
 * The static pod a manifest defines on `node`, as the kubelet's applyDefaults makes it: named
 * `<name>-<node>`, in `default` unless the manifest says otherwise, bound to the node, tolerating every
 * NoExecute taint; its hash covers the manifest, so an edited file is a new pod.
 */
export function staticPodFromManifest(file: string, manifest: Pod, node: Node): StaticPod {
  const nodeName = node.metadata.name ?? '';
  const hash = hexHash(`${nodeName}/${JSON.stringify(manifest)}`, 32);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...manifest.metadata,
      name: `${manifest.metadata.name}-${nodeName}`,
      namespace: manifest.metadata.namespace || 'default',
      annotations: {
        ...manifest.metadata.annotations,
        [configHashAnnotation]: hash,
        [configMirrorAnnotation]: hash,
        [configSourceAnnotation]: 'file',
      },
    },
    spec: {
      ...manifest.spec,
      nodeName,
      tolerations: [...(manifest.spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }],
    },
  };
  return { file, pod, hash };
}

/** The mirror pod the fleet creates for a static pod: owned by the Node, stamped with when it was seen. */
export function mirrorPod(staticPod: StaticPod, node: Node, seenAt: string): Pod {
  const pod = staticPod.pod;
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: { ...pod.metadata.annotations, [configSeenAnnotation]: seenAt },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name ?? '', uid: node.metadata.uid ?? '', controller: true }],
    },
  };
}
