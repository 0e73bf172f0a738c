/**
 * Where pod logs come from. On a cluster the API server asks the node's kubelet; here any node runtime
 * can answer through a `PodLogSource`. The API server validates the request, picks the container and
 * applies tailLines, sinceSeconds, timestamps and limitBytes; the source only says what the container
 * wrote. These types live in `api` so the apiserver and nodes rooms can both reach them.
 */
import type { Node, Pod } from './types.js';

/** One line a container wrote, as the runtime's log file keeps it (without its newline). */
export interface LogLine {
  /** When it was written, in milliseconds since the epoch. */
  time: number;
  text: string;
}

export interface ContainerLogRequest {
  pod: Pod;
  /** The node the pod is bound to. */
  node: Node;
  container: string;
  /** The previous, terminated instance of the container rather than the current one. */
  previous: boolean;
  /** Milliseconds since the epoch: nothing written later is returned. */
  now: number;
  /** Only lines written strictly after this time (a follower asking for what is new). */
  after?: number;
}

export interface ContainerLog {
  /** Names the container instance; a follower stops when it changes (the container restarted). */
  instance: string;
  /** The lines written in (after, now], oldest first, times strictly increasing. */
  lines: LogLine[];
  /** When to read again: the next line is due then (or the instance stops writing). Unset when nothing is coming. */
  nextLineAt?: number;
  /** The instance writes nothing more (it exited, or is shutting down): a follower ends. */
  finished: boolean;
}

export interface PodLogSource {
  /**
   * The log of one container of a pod bound to `request.node`. Throws a `StatusError` (400, with the
   * kubelet's message) when the container has no such log; returns undefined when no kubelet answers
   * for that node (the API server then reports the connection failure, as upstream does).
   */
  containerLog(request: ContainerLogRequest): ContainerLog | undefined;
}
