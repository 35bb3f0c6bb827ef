import { connect, type Socket } from 'node:net';
import { BoskosHttpError, BoskosUnreachableError } from '../../services/boskos/client.ts';
import { fromWire, type Resource } from '../../services/boskos/ranch/resource.ts';
import type { LeaseClient } from '../../services/boskos/testing/lease-load.ts';

/**
 * A Boskos client for the load generator: HTTP/1.1 on one keep-alive socket, one request at a time, written
 * and parsed by hand (as autocannon does), so the generator's own cost does not hide the server's. It speaks
 * only what Boskos answers: a status line, headers with content-length, a body.
 */
export class RawBoskosClient implements LeaseClient {
  readonly owner: string;
  readonly #host: string;
  readonly #port: number;
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void; path: string } | undefined;

  constructor(url: string, owner: string) {
    const u = new URL(url);
    this.owner = owner;
    this.#host = u.hostname;
    this.#port = Number(u.port);
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    const fail = (err: Error): void => {
      this.#socket = undefined;
      this.#buffer = Buffer.alloc(0);
      const p = this.#pending;
      this.#pending = undefined;
      p?.reject(new BoskosUnreachableError(`http://${this.#host}:${this.#port}`, err.message));
    };
    socket.on('error', fail);
    socket.on('close', () => {
      fail(new Error('connection closed'));
    });
    return socket;
  }

  #parse(): void {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = this.#buffer.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#buffer.length < end + 4 + length) return;
    const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    const p = this.#pending;
    this.#pending = undefined;
    p?.resolve({ status, body });
  }

  async #call(path: string, query: Record<string, string>, body?: string): Promise<string> {
    const qs = new URLSearchParams(query).toString();
    this.#socket ??= this.#open();
    const payload = body ?? '';
    const text = `POST ${path}?${qs} HTTP/1.1\r\nhost: ${this.#host}\r\nuser-agent: boskos-bench\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      this.#pending = { resolve, reject, path };
      this.#socket?.write(text);
    });
    if (answer.status !== 200) throw new BoskosHttpError(path, answer.status, answer.body);
    return answer.body;
  }

  async acquire(type: string, state: string, dest: string, requestId?: string): Promise<Resource> {
    const query: Record<string, string> = { type, state, dest, owner: this.owner };
    if (requestId !== undefined) query.request_id = requestId;
    const r = fromWire(JSON.parse(await this.#call('/acquire', query)));
    if (r === undefined) throw new BoskosHttpError('/acquire', 500, 'not a resource');
    return r;
  }

  async update(name: string, state: string, userData?: Record<string, string>): Promise<void> {
    await this.#call('/update', { name, owner: this.owner, state }, userData === undefined ? undefined : JSON.stringify(userData));
  }

  async release(name: string, dest: string): Promise<void> {
    await this.#call('/release', { name, dest, owner: this.owner });
  }

  close(): void {
    this.#socket?.destroy();
  }
}
