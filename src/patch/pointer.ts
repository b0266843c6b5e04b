// JSON Pointer (RFC 6901) segments as API Gateway's patch paths use them: a map key such as
// `application/json` travels as one segment, `application~1json`.

/** Escapes one key for use as a pointer segment (`~` first, so `/` -> `~1` is not re-escaped). */
export function escapeSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Undoes escapeSegment; returns undefined for a `~` not followed by 0 or 1 (not a valid pointer). */
export function unescapeSegment(segment: string): string | undefined {
  if (/~(?![01])/.test(segment)) return undefined;
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Builds `/a/b~1c` from raw keys. */
export function toPointer(...keys: string[]): string {
  return keys.map((k) => '/' + escapeSegment(k)).join('');
}

/**
 * Splits a pointer into raw (unescaped) keys. Returns undefined when the text is not a pointer:
 * no leading `/`, or a bad `~` escape. Empty segments are kept (the caller decides whether they are valid).
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const keys: string[] = [];
  for (const segment of pointer.slice(1).split('/')) {
    const key = unescapeSegment(segment);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return keys;
}
