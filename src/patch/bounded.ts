// Large values (mapping templates reach 300 KB) are shown in results, previews and history by their hash, size and
// first characters: an answer repeating a 300 KB template six times would pass the stdio clients' 10 MiB line limit.
// The full text stays available through get_integration and in the audit log.
import { createHash } from 'node:crypto';

/** Strings longer than this (UTF-8 bytes) are summarised. */
export const INLINE_MAX_BYTES = 2048;
/** How much of a summarised string is kept, in characters. */
export const HEAD_CHARS = 160;

export interface Summary {
  sha256: string;
  bytes: number;
  head: string;
}

export const isSummary = (v: unknown): v is Summary =>
  !!v && typeof v === 'object' && typeof (v as Summary).sha256 === 'string' && typeof (v as Summary).bytes === 'number' && typeof (v as Summary).head === 'string';

export function summarise(text: string): Summary {
  return { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text), head: text.slice(0, HEAD_CHARS) };
}

/** The value itself, or for a long string its summary. */
export function boundValue(v: unknown, max = INLINE_MAX_BYTES): unknown {
  return typeof v === 'string' && v.length > max / 4 && Buffer.byteLength(v) > max ? summarise(v) : v;
}

/** A copy of a JSON document with every long string summarised. */
export function boundDoc<T>(doc: T, max = INLINE_MAX_BYTES): T {
  if (Array.isArray(doc)) return doc.map((d) => boundDoc(d, max)) as T;
  if (doc && typeof doc === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) Object.defineProperty(out, k, { value: boundDoc(v, max), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return boundValue(doc, max) as T;
}
