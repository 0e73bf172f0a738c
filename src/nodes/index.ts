/**
 * The nodes room: node runtimes that play the kubelet's part. Today: the simulated fleet (every Node
 * annotated `everynode.dev/simulated: "true"`, served by one informer pair and one timer), and the
 * logs its containers write (`simulatedPodLogs`, the API server's source for pods/log).
 */
export * from './simulated/index.js';
