// Newline-delimited JSON on a byte stream, for hostile or broken input: a
// line that is not JSON gets its JSON-RPC Parse error, a line over the limit
// is refused and skipped, and the stream carries on. What a line holds is
// checked as JSON-RPC later (./stdio-session.ts); this module has no
// dependencies, so the stdio start reads messages before the SDK is loaded.
import { protoKeyMessage, protoKeyPath } from './proto-keys.js';

/** Longest line accepted; tool arguments are small, so this only stops abuse. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** JSON-RPC 2.0 error codes. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

export type Message = Record<string, unknown>;

const NEWLINE = 0x0a;

/**
 * A JSON-RPC error answer. Without a usable id the `id` is left out, as the
 * MCP schema has it (JSON-RPC 2.0 would say null, which MCP clients reject).
 */
export function errorAnswer(code: number, message: string, id?: unknown): Message {
  const usable = typeof id === 'string' || typeof id === 'number';
  return { jsonrpc: '2.0', ...(usable ? { id } : {}), error: { code, message } };
}

function refuse(
  handlers: Pick<LineHandlers, 'send' | 'refused'>,
  code: number,
  message: string,
  id?: unknown,
): void {
  handlers.refused(message);
  handlers.send(errorAnswer(code, message, id));
}

export interface LineHandlers {
  /** One line's JSON value, not yet checked as JSON-RPC. */
  value(value: unknown): void;
  /** Writes one message (an error answer for a refused line). */
  send(message: Message): void;
  /** A line was refused (already answered where JSON-RPC asks for it). */
  refused(reason: string): void;
}

/** Splits a stream into lines and parses each; feed it chunks with `push`. */
export function lineReader(
  handlers: LineHandlers,
  maxMessageBytes = MAX_MESSAGE_BYTES,
): (chunk: Buffer | string) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** Inside a line that went over the limit: drop bytes up to its end. */
  let skipping = false;

  const reject = (code: number, message: string, id?: unknown) =>
    refuse(handlers, code, message, id);

  const keep = (part: Buffer) => {
    if (skipping) return;
    pendingBytes += part.length;
    if (pendingBytes > maxMessageBytes) {
      pending = [];
      pendingBytes = 0;
      skipping = true;
      reject(INVALID_REQUEST, `Message too large: the limit is ${maxMessageBytes} bytes`);
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    pending.push(Buffer.from(part));
  };

  const handleLine = (raw: string) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return reject(PARSE_ERROR, 'Parse error: not valid JSON');
    }
    const proto = line.includes('__proto__') ? protoKeyPath(value) : undefined;
    if (proto !== undefined) {
      const id = (value as { id?: unknown }).id;
      if (typeof id === 'string' || typeof id === 'number')
        return reject(INVALID_PARAMS, protoKeyMessage(proto), id);
      return handlers.refused('Ignored a notification holding a "__proto__" key');
    }
    handlers.value(value);
  };

  return (chunk) => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < data.length) {
      const end = data.indexOf(NEWLINE, start);
      if (end === -1) {
        keep(data.subarray(start));
        return;
      }
      keep(data.subarray(start, end));
      if (skipping) skipping = false;
      else {
        const line = Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
        try {
          handleLine(line);
        } catch {
          // e.g. a stack overflow on absurdly deep nesting: refuse the line, keep the session.
          reject(INVALID_REQUEST, 'Invalid Request: could not be processed');
        }
      }
      start = end + 1;
    }
  };
}

/** Refuses a value that is not a JSON-RPC message, as the session's check does. */
export function refuseNonMessage(
  value: unknown,
  handlers: Pick<LineHandlers, 'send' | 'refused'>,
): void {
  if (Array.isArray(value)) {
    refuse(handlers, INVALID_REQUEST, 'Invalid Request: batches are not supported');
    return;
  }
  const object =
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  // A malformed response is never answered (two peers could echo errors forever).
  if (object && ('result' in object || 'error' in object) && !('method' in object)) {
    handlers.refused('Ignored a malformed JSON-RPC response');
    return;
  }
  refuse(
    handlers,
    INVALID_REQUEST,
    'Invalid Request: not a JSON-RPC 2.0 request or notification',
    object?.id,
  );
}
