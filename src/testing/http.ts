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
