/**
 * scheduling.k8s.io/v1 PriorityClass.
 */
import { kindOf } from './meta.js';
import { bool, field, int32, str, typedStr } from './dsl.js';

export const PriorityClass = kindOf(
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  'io.k8s.api.scheduling.v1.PriorityClass',
  'Maps a class name to a pod priority. Pods name it in priorityClassName.',
  {
    description: field(str, 'When to use this class; free text.'),
    globalDefault: field(bool, 'Use this class for pods that name none; at most one class may say so.'),
    preemptionPolicy: field(
      typedStr('v1.PreemptionPolicy', ['Never', 'PreemptLowerPriority']),
      'Whether pods of this class may evict lower-priority pods: PreemptLowerPriority (default) or Never.',
    ),
    value: field(int32, 'The priority; higher wins. Up to one billion for user classes.', { required: true }),
  },
);
