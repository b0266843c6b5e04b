// `position` / `limit` paging of list operations (apigw-spec.md §1.1): default 25, at most 500 per page.
import { badRequest } from './errors.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

const encode = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decode = (position: string) => Buffer.from(position, 'base64url').toString('utf8');

/**
 * One page of `items` (in their stored order). The token names the next item's id rather than an offset, so a page
 * boundary stays put when items are added meanwhile; it is opaque to clients like AWS's.
 */
export function page<T>(items: readonly T[], idOf: (item: T) => string, query: URLSearchParams): { item: T[]; position?: string } {
  // Out-of-range limits are clamped rather than rejected (AWS's answer for them is unknown, apigw-spec.md §8).
  const asked = Number.parseInt(query.get('limit') ?? '', 10);
  const limit = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), MAX_LIMIT) : DEFAULT_LIMIT;
  const position = query.get('position');
  let start = 0;
  if (position) {
    start = items.findIndex((i) => idOf(i) === decode(position));
    if (start < 0) throw badRequest('Invalid position parameter specified');
  }
  const slice = items.slice(start, start + limit);
  const next = items[start + limit];
  return next === undefined ? { item: slice } : { item: slice, position: encode(idOf(next)) };
}
