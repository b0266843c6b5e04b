// The stdio wire as the shutdown needs it: it knows which requests of the client are still unanswered, so a stop
// can wait (bounded) for their answers before closing, as the HTTP server does. When the client hangs up (stdin
// ends) the SDK would abort every call in flight and drop its answer; instead the hang-up is handed to `onHangUp`
// (the CLI's stop), and the SDK hears of the close only once the stop closes the connection.
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

type Message = { id?: string | number; method?: string; params?: { requestId?: string | number } };

/** Open until the connection ends by design (2026-07-28 subscriptions): not waited for. */
const LONG_LIVED = new Set(['subscriptions/listen']);

export class DrainingStdio implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly unanswered = new Set<string | number>();
  private waiters: (() => void)[] = [];
  private closing = false;

  constructor(
    private readonly wire: Transport,
    onHangUp: () => void,
  ) {
    wire.onmessage = (message, extra) => {
      const m = message as Message;
      if (m.method !== undefined && m.id !== undefined && !LONG_LIVED.has(m.method)) this.unanswered.add(m.id);
      // A cancelled request is not answered (the SDK drops its result).
      if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) this.settle(m.params.requestId);
      this.onmessage?.(message, extra);
    };
    wire.onerror = (error) => this.onerror?.(error);
    wire.onclose = () => (this.closing ? this.onclose?.() : onHangUp());
  }

  setProtocolVersion = (version: string) => this.wire.setProtocolVersion?.(version);

  start(): Promise<void> {
    return this.wire.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    await this.wire.send(message, options);
    const m = message as Message;
    if (m.method === undefined && m.id !== undefined) this.settle(m.id);
  }

  /** Resolves once every request received has been answered (or cancelled), or after `ms` at most. */
  answered(ms: number): Promise<void> {
    if (this.unanswered.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.wire.close();
  }

  private settle(id: string | number): void {
    this.unanswered.delete(id);
    if (this.unanswered.size > 0) return;
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
