// HTTP is always authenticated: on stdio the client is the process that started the server, over HTTP it is whoever
// connects, so without a token any local process could answer its own confirmation question or approve through the
// page. Like a notebook server's local token: without --auth-token / APIGW_MCP_AUTH_TOKEN a random token is made at
// start and written to a file only the user can read, next to the server's state.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopback } from './loopback.js';

export const TOKEN_FILE = 'http-token';

export interface HttpToken {
  token: string;
  /** Where a generated token was written; absent when it was given. */
  file?: string;
}

/** The token given, or a new one written (mode 0600, atomically) to `stateDir/http-token`. */
export function httpToken(given: string | undefined, host: string, stateDir: string): HttpToken {
  if (given) return { token: given };
  // A generated token suits one user on one machine; serving other machines is a decision to make with a token of one's own.
  if (!isLoopback(host)) throw new Error(`binding ${host} (not loopback) needs a bearer token of your own: --auth-token or APIGW_MCP_AUTH_TOKEN`);
  const token = randomBytes(32).toString('base64url');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, TOKEN_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return { token, file };
}

/** What a person configures a client with: the URL and the header (the token itself only when it was generated). */
export function clientConfig(url: string, t: HttpToken): string {
  const bearer = t.file ? t.token : '${APIGW_MCP_AUTH_TOKEN}';
  return JSON.stringify({ mcpServers: { 'apigw-integration': { type: 'http', url, headers: { Authorization: `Bearer ${bearer}` } } } });
}
