import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A real HTTP hop between ghproxy and the emulator that can hold requests: while closed, each request waits
 * until `open()`, so a test can have many requests in flight at once without relying on timing. It also
 * counts what passed through.
 */
export interface GatedUpstream {
  url: string;
  /** Requests received so far (held or not). */
  received: number;
  /** Requests waiting at the gate now. */
  held: number;
  /** Holds the requests `hold` picks (all by default) until `open()`. */
  close(hold?: (req: IncomingMessage) => boolean): void;
  open(): void;
  shut(): Promise<void>;
}

export async function startGatedUpstream(target: string): Promise<GatedUpstream> {
  const base = new URL(target);
  let gate: Promise<void> | undefined;
  let holds: (req: IncomingMessage) => boolean = () => true;
  let release = (): void => undefined;
  const state = { received: 0, held: 0 };
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request({ host: base.hostname, port: base.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    // A client that gave up (the proxy's timeout) must not leave a request hanging in the emulator.
    res.once('close', () => upstream.destroy());
    if (req.destroyed) {
      upstream.destroy();
      return;
    }
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    state.received += 1;
    const waitFor = gate;
    if (waitFor === undefined || !holds(req)) {
      forward(req, res);
      return;
    }
    state.held += 1;
    req.pause();
    void waitFor.then(() => {
      state.held -= 1;
      req.resume();
      forward(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    get received() {
      return state.received;
    },
    get held() {
      return state.held;
    },
    close(hold = () => true) {
      holds = hold;
      gate ??= new Promise<void>((resolve) => (release = resolve));
    },
    open() {
      gate = undefined;
      release();
    },
    shut: () =>
      new Promise<void>((resolve) => {
        gate = undefined;
        release();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Polls `check` every few milliseconds until it holds; fails the test with `what` after `timeoutMs`. */
