/**
 * Small HTTP helpers for tests: a JSON request and a watch stream reader that hands out events one
 * at a time (waiting for the next one, with a timeout instead of sleeps).
 */
import http from 'node:http';

export interface JsonResponse {
  status: number;
  headers: Headers;
  // Tests read whatever came back.
  json: any;
}

export async function request(base: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<JsonResponse> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

export interface WatchEventJson {
  type: string;
  // Tests read whatever came back.
  object: any;
}

/** Reads a watch stream line by line. */
export class WatchReader {
  private readonly events: WatchEventJson[] = [];
  private waiters: ((event: WatchEventJson | undefined) => void)[] = [];
  private buffer = '';
  private done = false;
  private readonly req: http.ClientRequest;
  readonly ended: Promise<void>;
  /** Resolves when the response headers arrive. */
  readonly headers: Promise<void>;
  /** Milliseconds from the request to the response headers. */
  headersAfterMs?: number;

  constructor(base: string, path: string, headers: Record<string, string> = {}) {
    const started = Date.now();
    let resolveEnded!: () => void;
    this.ended = new Promise((resolve) => (resolveEnded = resolve));
    let resolveHeaders!: () => void;
    this.headers = new Promise((resolve) => (resolveHeaders = resolve));
    this.req = http.get(`${base}${path}`, { headers }, (res) => {
      this.headersAfterMs = Date.now() - started;
      resolveHeaders();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.buffer += chunk;
        let newline: number;
        while ((newline = this.buffer.indexOf('\n')) >= 0) {
          const line = this.buffer.slice(0, newline);
          this.buffer = this.buffer.slice(newline + 1);
          if (line.trim()) this.push(JSON.parse(line) as WatchEventJson);
        }
      });
      res.on('end', () => this.finish(resolveEnded));
      res.on('close', () => this.finish(resolveEnded));
    });
    this.req.on('error', () => this.finish(resolveEnded));
  }

  private push(event: WatchEventJson): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(event);
    else this.events.push(event);
  }

  private finish(resolveEnded: () => void): void {
    this.done = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    resolveEnded();
  }

  /** The next event; rejects after `timeoutMs` or when the stream ends first. */
  next(timeoutMs = 5000): Promise<WatchEventJson> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    if (this.done) return Promise.reject(new Error('watch stream ended'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no watch event within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (event: WatchEventJson | undefined) => {
        clearTimeout(timer);
        if (event) resolve(event);
        else reject(new Error('watch stream ended'));
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.req.destroy();
  }
}

/** A watch stream whose events go to a callback as they arrive (see {@link watchEach}). */
export interface WatchStream {
  /** Resolves when the response headers arrive. */
  readonly opened: Promise<void>;
  /** Resolves when the stream ends, however it ends (server, network, callback error, close()). */
  readonly ended: Promise<void>;
  /** Whether the stream has ended. */
  readonly done: boolean;
  /** Why the stream stopped early: an answer other than 200, a network error, or what the callback threw. */
  readonly error: Error | undefined;
  /** Events handed to the callback so far. */
  readonly events: number;
  close(): void;
}

/**
 * Opens a watch (`path` with `watch=true`) and hands every event to `onEvent` as it arrives, for tests that
 * follow many objects at once and check invariants event by event. A callback that throws ends the stream
 * and leaves the error in `error`, rather than crashing the process from inside a socket handler.
 */
export function watchEach(base: string, path: string, onEvent: (event: WatchEventJson) => void): WatchStream {
  let resolveOpened!: () => void;
  const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const state = { done: false, error: undefined as Error | undefined, events: 0 };
  const finish = (error?: Error) => {
    if (error && !state.done) state.error ??= error;
    state.done = true;
    resolveOpened();
    resolveEnded();
  };
  const req = http.get(`${base}${path}`, (res) => {
    resolveOpened();
    if (res.statusCode !== 200) {
      finish(new Error(`watch ${path} answered ${res.statusCode}`));
      req.destroy();
      return;
    }
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (state.done) return;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
        try {
          state.events++;
          onEvent(JSON.parse(line) as WatchEventJson);
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
          req.destroy();
          return;
        }
      }
    });
    res.on('end', () => finish());
    res.on('close', () => finish());
  });
  req.on('error', (error) => finish(error));
  return {
    opened,
    ended,
    get done() {
      return state.done;
    },
    get error() {
      return state.error;
    },
    get events() {
      return state.events;
    },
    close() {
      state.done = true;
      req.destroy();
    },
  };
}
