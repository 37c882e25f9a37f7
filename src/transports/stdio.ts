// MCP over stdio: stdout carries only JSON-RPC. The process ends cleanly (exit
// 0) when the host closes stdin or sends SIGINT/SIGTERM, in-flight calls and
// all.
//
// The transport is our own rather than the SDK's StdioServerTransport, for
// hostile or broken input: the SDK's drops an unparsable line without a word
// (JSON-RPC asks for a Parse error answer) and closes the whole session when
// one line exceeds its buffer. Here a bad line gets its JSON-RPC error and
// the session carries on.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { protoKeyMessage, protoKeyPath } from './proto-keys.js';

/** Longest line accepted; tool arguments are small, so this only stops abuse. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that went over the limit: drop bytes up to its end. */
  private skipping = false;
  private closed = false;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.input.pause();
    this.pending = [];
    this.onclose?.();
  }

  private readonly onInputError = (error: Error) => this.onerror?.(error);

  private readonly onData = (chunk: Buffer | string) => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < data.length) {
      const end = data.indexOf(NEWLINE, start);
      if (end === -1) {
        this.keep(data.subarray(start));
        return;
      }
      this.keep(data.subarray(start, end));
      if (this.skipping) this.skipping = false;
      else {
        const line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
        try {
          this.handleLine(line);
        } catch {
          // e.g. a stack overflow on absurdly deep nesting: refuse the line, keep the session.
          this.reject(ErrorCode.InvalidRequest, 'Invalid Request: could not be processed');
        }
      }
      start = end + 1;
    }
  };

  private keep(part: Buffer): void {
    if (this.skipping) return;
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxMessageBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      this.reject(ErrorCode.InvalidRequest, `Message too large: the limit is ${this.maxMessageBytes} bytes`);
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(part));
  }

  private handleLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.reject(ErrorCode.ParseError, 'Parse error: not valid JSON');
    }
    const proto = line.includes('__proto__') ? protoKeyPath(value) : undefined;
    if (proto !== undefined) {
      const id = (value as { id?: unknown }).id;
      if (typeof id === 'string' || typeof id === 'number') return this.reject(ErrorCode.InvalidParams, protoKeyMessage(proto), id);
      return this.onerror?.(new Error('Ignored a notification holding a "__proto__" key'));
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (parsed.success) {
      this.onmessage?.(parsed.data);
      return;
    }
    if (Array.isArray(value)) return this.reject(ErrorCode.InvalidRequest, 'Invalid Request: batches are not supported');
    const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    // A malformed response is never answered (two peers could echo errors forever).
    if (object && ('result' in object || 'error' in object) && !('method' in object)) {
      this.onerror?.(new Error('Ignored a malformed JSON-RPC response'));
      return;
    }
    const id = object?.id;
    this.reject(ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 request or notification', typeof id === 'string' || typeof id === 'number' ? id : undefined);
  }

  /**
   * A JSON-RPC error answer. Without a usable id the `id` is left out, as the
   * MCP schema has it (JSON-RPC 2.0 would say `null`, which MCP clients reject).
   */
  private reject(code: number, message: string, id?: string | number): void {
    this.onerror?.(new Error(message));
    void this.send({ jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), error: { code, message } } as JSONRPCMessage);
  }
}

export async function serveStdio(server: Server, cleanup: () => Promise<void>): Promise<void> {
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    // Never wait long: a host that closed our stdin will kill us anyway.
    const force = setTimeout(() => process.exit(0), 1500);
    force.unref();
    Promise.allSettled([server.close(), cleanup()]).finally(() => process.exit(0));
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A write to a closed stdout (host gone) must end us, not crash with EPIPE.
  process.stdout.on('error', shutdown);
  await server.connect(new LineTransport());
}
