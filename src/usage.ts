// A bad command line: one line on stderr and exit code 2 (src/cli.ts main). No dependencies, so the CLI entry
// stays small.
export class UsageError extends Error {}

export function fail(message: string): never {
  throw new UsageError(message);
}

export function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
