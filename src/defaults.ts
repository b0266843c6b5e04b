// Defaults the CLI needs before anything heavy loads (no zod here).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_MAX_TIMEOUT_MS = 29_000;

/** Where state lives by default: $XDG_STATE_HOME or ~/.local/state, in our own folder. */
export function defaultStateDir(env = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'apigw-integration-mcp');
}
