// Defaults the CLI needs before anything heavy loads (no zod here).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_MAX_TIMEOUT_MS = 29_000;

/** Where state lives by default: $XDG_STATE_HOME or ~/.local/state, in our own folder. */
export function defaultStateDir(env = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'apigw-integration-mcp');
}

/** Settings read from the environment: empty ones (as hosts and .env files pass them) count as unset, as in the AWS CLI. */
const SETTING = /^(AWS_|APIGW_MCP_|APIGW_EMULATOR_)/;

/** Deletes empty AWS_* and APIGW_* variables from `env`, so neither our options nor the AWS SDK take "" as a value. */
export function dropEmptySettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  for (const key of Object.keys(env)) if (SETTING.test(key) && env[key] === '') delete env[key];
  return env;
}
