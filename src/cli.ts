// Command line -> Config; starts the MCP server on stdio, or the emulator alone (`emulator` subcommand).
// Bad options exit non-zero with one line; logs go to stderr, stdout belongs to the protocol.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EarlyStdio } from './earlyStdio.js';
import { log } from './log.js';
import { DrainingStdio } from './stdioDrain.js';
import { fail, integer, UsageError } from './usage.js';
import { NAME, VERSION } from './version.js';

const HELP = `${NAME} ${VERSION}: an MCP server (stdio or Streamable HTTP) that reads and safely changes AWS API Gateway REST API integrations.

Usage:
  ${NAME} [options]                 serve MCP on stdio
  ${NAME} --http [options]          serve MCP over Streamable HTTP at http://HOST:PORT/mcp
  ${NAME} emulator [options]        run the local API Gateway emulator alone (for the AWS CLI, tests, benchmarks)

Server options:                                 (environment variable)
  --backend local|aws     local: embedded emulator (default); aws: AWS or --endpoint-url   APIGW_MCP_BACKEND
  --state FILE            emulator state file (local backend)                              APIGW_MCP_STATE
                          default: $XDG_STATE_HOME or ~/.local/state, /apigw-integration-mcp/emulator-state.json
  --endpoint-url URL      send AWS calls to this endpoint (LocalStack, a standalone emulator);
                          implies --backend aws                                            AWS_ENDPOINT_URL
  --region REGION         AWS region                                                       AWS_REGION
  --profile NAME          AWS profile from ~/.aws/config                                   AWS_PROFILE
  --max-timeout-ms N      highest integration timeout accepted (default 29000; raise it only
                          if your account's quota was raised)                               APIGW_MCP_MAX_TIMEOUT_MS
  --confirm risky|always|never   who must agree: risky (default) asks a human for confirm-level
                          changes, always for every write, never for none (warned)          APIGW_MCP_CONFIRM
  --confirm-fallback page|token|deny   when the client cannot ask (no elicitation): page (default):
                          a local approval page; token: a bound one-time token (weaker: a model
                          can echo it); deny: refuse                                        APIGW_MCP_CONFIRM_FALLBACK
  --no-elicitation        never use MCP elicitation (hosts that declare it but never show it)
  --approval-ttl SECONDS  how long a confirmation or approval stays valid (default 600)
  --audit-log FILE        the audit log (JSON lines); default: in the state folder, audit.jsonl APIGW_MCP_AUDIT_LOG
  --allow-profile NAME    a profile calls may choose (repeatable; the start-up one always)  APIGW_MCP_ALLOW_PROFILES (comma-separated)
  --allow-region NAME     a region calls may choose (repeatable; the start-up one always)   APIGW_MCP_ALLOW_REGIONS (comma-separated)
  --read-only             register only the read tools                                      APIGW_MCP_READ_ONLY=1
  --allow-api ID|NAME     allow writes only to this API (repeatable; default: all)          APIGW_MCP_ALLOW_API (comma-separated)
  --http                  serve Streamable HTTP instead of stdio
  --host HOST             HTTP: address to bind (default 127.0.0.1)
  --port N                HTTP: port (default 3000; 0 = any free port)
  --auth-token TOKEN      HTTP: require "Authorization: Bearer TOKEN" (required off loopback) APIGW_MCP_AUTH_TOKEN
  --allowed-hosts LIST    HTTP: Host names accepted (default: localhost,127.0.0.1,[::1] and HOST)
  --allowed-origins LIST  HTTP: browser Origins accepted (default: localhost,127.0.0.1,[::1])
  --max-body-bytes N      HTTP: largest request body (default 1048576)
  --max-concurrent N      HTTP: requests served at once, more get 503 (default 64)
  -h, --help              this help
  -v, --version           the version

Emulator options:
  --host HOST             address to bind (default 127.0.0.1)
  --port N                port (default 4599; 0 = any free port)
  --state FILE            state file (default: in memory only)
  --no-seed               start empty instead of creating the demo API on first use
  --account-id ID         account id in ARNs, messages and STS GetCallerIdentity (default 123456789012)
  --faults JSON           inject faults: throttle, unavailable, conflict, latency, reset, tamper, rateLimit
                          (see README; also APIGW_EMULATOR_FAULTS, and PUT /__emulator/faults at run time)
`;

/** Settings from the environment a snippet repeats: never credentials or tokens. */
const SNIPPET_ENV = /^(AWS_PROFILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_ENDPOINT_URL(_API_GATEWAY)?|APIGW_MCP_(?!AUTH_TOKEN)\w+)$/;

/** The Claude Desktop entry that starts this server as it runs now: same node, same options, same settings. */
export function claudeDesktopSnippet(argv: string[], env: NodeJS.ProcessEnv = process.env): string {
  const args = [resolve(process.argv[1] ?? 'bin/apigw-integration-mcp.js'), ...argv];
  const settings = Object.fromEntries(Object.entries(env).filter(([k, v]) => SNIPPET_ENV.test(k) && v));
  return JSON.stringify({ mcpServers: { 'apigw-integration': { command: process.execPath, args, ...(Object.keys(settings).length ? { env: settings } : {}) } } });
}

async function serve(argv: string[]): Promise<void> {
  // Stdin is read from the start and a 2025-era initialize answered at once: the answer needs nothing that
  // loads slowly (see earlyStdio.ts). Everything else waits for the server below.
  const early = argv.includes('--http') ? undefined : new EarlyStdio();
  const { parseServerArgs } = await import('./options.js');
  const config = parseServerArgs(argv);
  // Loaded after option parsing so --help and bad options answer without loading the MCP SDK.
  // The transport loads in the same step (one round of module loading less at start).
  const [{ describeBackend }, { createContext }, { createServer }, transport] = await Promise.all([
    import('./aws/backend.js'),
    import('./context.js'),
    import('./server.js'),
    config.http ? import('./http.js') : import('@modelcontextprotocol/server/stdio'),
  ]);
  const ctx = createContext(config);
  const factory = () => createServer(ctx);
  let closeTransport: () => Promise<void> = async () => undefined;

  // The client went away (stdio), or a signal: finish what is in flight, stop the embedded emulator, exit.
  // Questions first: a call waiting for a human's answer would hold the shutdown until the approval TTL, and its
  // client would never get an answer; withdrawn, it answers `declined` at once, and the transport closes after that
  // answer went out (it waits, bounded, for the calls in flight).
  // Installed before listening, so a signal that comes right after the start is handled too.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    ctx.confirmer.withdraw();
    await closeTransport().catch(() => undefined);
    for (const backend of ctx.backends()) await backend.close().catch(() => undefined);
    await ctx.confirmer.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (!config.http) {
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
  }
  if (config.http && 'serveHttp' in transport) {
    const http = await transport.serveHttp(factory, config.http);
    closeTransport = http.close;
    log(`${NAME} ${VERSION} serving MCP over Streamable HTTP at ${http.url}${config.http.authToken ? ' (bearer token required)' : ''}`);
  } else if ('serveStdio' in transport && early) {
    // The client hanging up (stdin ends) stops the server the same way: its answers still go out first.
    const wire = new DrainingStdio(early, () => void stop());
    const handle = transport.serveStdio(factory, { transport: wire, onerror: (e) => log(`transport: ${e.message}`) });
    closeTransport = async () => {
      // Bounded, as over HTTP: a call that never ends must not hold the shutdown forever.
      await wire.answered(10_000);
      await handle.close();
    };
    log(`${NAME} ${VERSION} serving MCP on stdio`);
  }
  log(`backend: ${describeBackend(config)}${config.backend === 'local' ? ' (started, and seeded with a demo API "shop", on first use)' : ''}`);
  log(
    config.readOnly
      ? 'read-only: write tools are not registered'
      : `confirmation: ${config.confirm} (fallback ${config.confirmFallback}${config.elicitation ? '' : ', no elicitation'}); audit log ${config.auditLog}${config.allowApis.length ? `; writes allowed only on ${config.allowApis.join(', ')}` : ''}`,
  );
  if (config.confirm === 'never' && !config.readOnly) log('WARNING: --confirm never: risky changes (TLS verification off, new backends, credentials) are applied without asking anyone.');
  if (!config.http) log(`Claude Desktop config: ${claudeDesktopSnippet(argv)}`);
}

async function emulator(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4599' },
      state: { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      'account-id': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stderr.write(HELP);
  const port = integer(values.port, '--port')!;
  if (port > 65535) fail(`--port must be 0..65535, got ${port}`);
  if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) fail('--account-id must be 12 digits');
  const [{ startEmulator }, { parseFaultConfig }] = await Promise.all([import('./emulator/server.js'), import('./emulator/faults.js')]);
  let faults;
  try {
    faults = values.faults === undefined ? undefined : parseFaultConfig(JSON.parse(values.faults), '--faults');
  } catch (err) {
    fail(`--faults: ${(err as Error).message}`);
  }
  const em = await startEmulator({
    ...(faults ? { faults } : {}),
    host: values.host,
    port,
    statePath: values.state && resolve(values.state),
    seed: !values['no-seed'],
    accountId: values['account-id'],
  });
  log(`API Gateway emulator listening on ${em.url} (state ${values.state ? resolve(values.state) : 'in memory'}${values['no-seed'] ? '' : '; demo API seeded on first request'})`);
  log(`try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url ${em.url} --region us-east-1 apigateway get-rest-apis`);
  const stop = async () => {
    await em.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  try {
    if (argv[0] === 'emulator') return await emulator(argv.slice(1));
    if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP);
    if (argv.includes('--version') || argv.includes('-v')) return void process.stdout.write(`${VERSION}\n`);
    await serve(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${NAME}: ${message}${err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? ' (see --help)' : ''}\n`);
    process.exit(2);
  }
}
