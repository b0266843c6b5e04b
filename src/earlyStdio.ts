// The stdio transport, started before anything heavy loads. A client (Claude Desktop starts the server every time
// it launches) opens with `initialize`; its answer needs no MCP SDK, zod or AWS SDK: the protocol version
// negotiated as the SDK does it, fixed capabilities, our name and the static instructions. So it is answered at
// once, while the SDK loads; then the SDK gets every message in order, the initialize included (so it knows the
// client), and its own answer to that initialize is checked against ours and dropped.
// 2026-07-28 clients open with other requests: those simply wait for the SDK.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { CAPABILITIES, INSTRUCTIONS } from './guidance/instructions.js';
import { log } from './log.js';
import { NAME, VERSION } from './version.js';

/** The SDK's 2025-era protocol versions, newest first (SUPPORTED_PROTOCOL_VERSIONS less the modern ones). */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** What the SDK answers to `initialize` (Server._oninitialize): the client's version if supported, else the newest. */
export function initializeResult(requested: unknown) {
  return {
    protocolVersion: typeof requested === 'string' && LEGACY_PROTOCOL_VERSIONS.includes(requested) ? requested : LEGACY_PROTOCOL_VERSIONS[0],
    capabilities: CAPABILITIES,
    serverInfo: { name: NAME, version: VERSION },
    instructions: INSTRUCTIONS,
  };
}

type Message = Record<string, any>;

/** The longest line taken, as the SDK's stdio transport (STDIO_DEFAULT_MAX_BUFFER_SIZE, 10 MiB). */
export const MAX_LINE_CHARS = 10 * 1024 * 1024;

/** Deep equality of JSON values, key order aside. */
const sameJson = (a: unknown, b: unknown): boolean =>
  a === b ||
  (!!a && !!b && typeof a === 'object' && typeof b === 'object' && Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every((k) => sameJson((a as Message)[k], (b as Message)[k])));

export class EarlyStdio implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private buffer = '';
  /** Dropping the rest of an over-long line. */
  private skipping = false;
  private readonly queue: JSONRPCMessage[] = [];
  private started = false;
  private ended = false;
  private first = true;
  /** The initialize this transport answered itself, whose SDK answer is to be dropped. */
  private answered?: { id: unknown; result: unknown };

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {
    // Decoded as a stream: a character split across two chunks stays whole.
    (input as NodeJS.ReadableStream & { setEncoding?: (e: BufferEncoding) => void }).setEncoding?.('utf8');
    input.on('data', this.ondata);
    input.on('end', this.onend);
    output.on('error', (err: Error) => this.onerror?.(err));
  }

  private readonly ondata = (chunk: Buffer | string) => {
    // Only the new text is searched for a newline: a long line arriving in many chunks stays linear.
    let from = this.buffer.length;
    this.buffer += chunk.toString();
    let nl: number;
    while ((nl = this.buffer.indexOf('\n', from)) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      from = 0;
      if (this.skipping) this.skipping = false;
      else if (line.trim()) this.receive(line);
    }
    if (this.buffer.length > MAX_LINE_CHARS) {
      // Refused like the SDK's own stdio transport (10 MiB), and dropped up to its end: the server goes on.
      if (!this.skipping) void this.write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: a message over ${MAX_LINE_CHARS} characters` } });
      this.skipping = true;
      this.buffer = '';
    }
  };

  private readonly onend = () => {
    this.ended = true;
    if (this.started) this.onclose?.();
  };

  private receive(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line);
    } catch (err) {
      // JSON-RPC's answer to a line that is not JSON (its id cannot be known): the client learns, nothing hangs.
      void this.write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${(err as Error).message}` } });
      this.onerror?.(err as Error);
      return;
    }
    if (this.first) {
      this.first = false;
      if (message?.jsonrpc === '2.0' && message.method === 'initialize' && message.id !== undefined && !this.started) {
        const result = initializeResult(message.params?.protocolVersion);
        this.answered = { id: message.id, result };
        this.write({ jsonrpc: '2.0', id: message.id, result });
      }
    }
    if (this.started) this.onmessage?.(message as JSONRPCMessage);
    else this.queue.push(message as JSONRPCMessage);
  }

  private write(message: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(JSON.stringify(message) + '\n')) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async start(): Promise<void> {
    this.started = true;
    for (const message of this.queue.splice(0)) this.onmessage?.(message);
    if (this.ended) this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const m = message as Message;
    if (this.answered && m.id === this.answered.id && !('method' in m)) {
      // The SDK's own answer to the initialize answered early: it must say the same; it is not sent twice.
      if (!sameJson(m.result, this.answered.result)) log(`early initialize answer differs from the SDK's: ${JSON.stringify(m.result ?? m.error)}`);
      this.answered = undefined;
      return;
    }
    await this.write(message);
  }

  async close(): Promise<void> {
    this.input.off('data', this.ondata);
    this.input.off('end', this.onend);
    this.onclose?.();
  }
}
