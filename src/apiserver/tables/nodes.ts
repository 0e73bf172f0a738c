/**
 * The nodes printer: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
 * CONTAINER-RUNTIME.
 *
 * Upstream: `printNode` in pkg/printers/internalversion/printers.go.
 */

import type { KubeObject, Node } from '../../api/types.js';
import { ageColumn, ageOf, column, nameColumn, nameOf, type TablePrinter } from './columns.js';

/** Labels `node-role.kubernetes.io/<role>` name a role in the key; the value is ignored. */
const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
/** The older label `kubernetes.io/role=<role>` names a role in the value. */
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/**
 * The STATUS cell. Only the Ready condition counts: `Ready` when True, `NotReady` when False or Unknown,
 * `Unknown` when the node has not reported it. A cordoned node adds `,SchedulingDisabled`.
 */
export function nodeStatus(node: Node): string {
  let ready: string | undefined;
  // The last Ready condition wins, as upstream reads conditions through a map keyed by type.
  for (const condition of node.status?.conditions ?? []) {
    if (condition.type === 'Ready') ready = condition.status === 'True' ? 'Ready' : 'NotReady';
  }
  const status = ready ?? 'Unknown';
  return node.spec?.unschedulable ? `${status},SchedulingDisabled` : status;
}

/** The roles a node's labels declare, deduplicated and sorted; `<none>` when there are none. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** The first address of a type (`InternalIP`, `ExternalIP`), or `<none>`. */
function firstAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((address) => address.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'Whether the node is ready, and whether scheduling onto it is disabled.'),
    column('Roles', 'Roles named by the node-role labels.'),
    ageColumn,
    column('Version', 'Version of the kubelet on the node.'),
    column('Internal-IP', 'The first internal IP address of the node.', { priority: 1 }),
    column('External-IP', 'The first external IP address of the node.', { priority: 1 }),
    column('OS-Image', 'The operating system image the node reports.', { priority: 1 }),
    column('Kernel-Version', 'The kernel version the node reports.', { priority: 1 }),
    column('Container-Runtime', 'The container runtime and its version.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const node = obj as Node;
    const info = node.status?.nodeInfo ?? {};
    return [
      nameOf(node),
      nodeStatus(node),
      nodeRoles(node),
      ageOf(node, now),
      info['kubeletVersion'] ?? '',
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      info['osImage'] || '<unknown>',
      info['kernelVersion'] || '<unknown>',
      info['containerRuntimeVersion'] || '<unknown>',
    ];
  },
};
