// Command line -> Config; starts the MCP server on stdio, or the emulator alone (`emulator` subcommand).
// Bad options exit non-zero with one line; logs go to stderr, stdout belongs to the protocol.
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config.js';
import { dropEmptySettings } from './defaults.js';
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
  --region REGION         AWS region (--backend aws)                                       AWS_REGION
  --profile NAME          AWS profile from ~/.aws/config (--backend aws)                   AWS_PROFILE
  --max-timeout-ms N      highest integration timeout accepted (default 29000; raise it only
                          if your account's quota was raised)                               APIGW_MCP_MAX_TIMEOUT_MS
  --confirm risky|always|never   who must agree: risky (default) asks a human for confirm-level
                          changes, always for every write, never for none (warned)          APIGW_MCP_CONFIRM
  --confirm-fallback page|token|deny   when the client cannot ask (no elicitation): page (default):
                          a local approval page; token: a bound one-time token (weaker: a model
                          can echo it); deny: refuse                                        APIGW_MCP_CONFIRM_FALLBACK
  --no-elicitation        never use MCP elicitation (hosts that declare it but never show it)
  --approval-ttl SECONDS  how long a confirmation or approval stays valid (default 600)
  --audit-log FILE        the audit log (JSON lines); default: local, beside the state file
                          (emulator-state.audit.jsonl); aws, the state folder's audit.jsonl APIGW_MCP_AUDIT_LOG
  --emulator-port N       the embedded emulator's port (local backend; default: any free port)
  --approval-port N       the approval page's port on 127.0.0.1 (default: any free port)
  --debug                 stack traces of unexpected errors on stderr                        APIGW_MCP_DEBUG=1
  --allow-profile NAME    a profile calls may choose (repeatable; the start-up one always)  APIGW_MCP_ALLOW_PROFILES (comma-separated)
  --allow-region NAME     a region calls may choose (repeatable; the start-up one always)   APIGW_MCP_ALLOW_REGIONS (comma-separated)
  --read-only             register only the read tools                                      APIGW_MCP_READ_ONLY=1
  --allow-api ID|NAME     allow writes only to this API (repeatable; default: all)          APIGW_MCP_ALLOW_API (comma-separated)
  --aws-rate-limit SPEC   pace every AWS call under API Gateway's control-plane quotas, per
                          account and region; SPEC: off, or items RATE/s, burst=N, wait=Ns,
                          Operation=N/Ns or Operation=off; default 10/s,burst=40,
                          GetResources=5/2s,CreateDeployment=1/5s,wait=30s (items not given keep
                          the default; a call that would wait longer fails "throttled") APIGW_MCP_AWS_RATE_LIMIT
  --http                  serve Streamable HTTP instead of stdio
  --host HOST             HTTP: address to bind (default 127.0.0.1)
  --port N                HTTP: port (default 3000; 0 = any free port)
  --auth-token TOKEN      HTTP: the bearer token every request must carry; default: generated at
                          start into the state folder's http-token (0600); required off loopback APIGW_MCP_AUTH_TOKEN
  --allowed-hosts LIST    HTTP: Host names accepted (default: localhost,127.0.0.1,[::1] and HOST)
  --allowed-origins LIST  HTTP: browser Origins accepted (default: localhost,127.0.0.1,[::1])
  --max-body-bytes N      HTTP: largest request body (default 1048576)
  --max-concurrent N      HTTP: requests served at once, more get 503 (default 64)
  -h, --help              this help
  -v, --version           the version
Empty AWS_* and APIGW_MCP_* variables count as unset.

Emulator options:
  --host HOST             address to bind (default 127.0.0.1)
  --port N                port (default 4599; 0 = any free port)
  --state FILE            state file (default: in memory only)
  --no-seed               start empty instead of creating the demo API on first use
  --account-id ID         account id in ARNs, messages and STS GetCallerIdentity (default 123456789012)
  --faults JSON           inject faults: throttle, unavailable, conflict, latency, reset, tamper, rateLimit
                          (see README; also APIGW_EMULATOR_FAULTS, and PUT /__emulator/faults at run time)
  --debug                 stack traces of unexpected errors on stderr (also APIGW_MCP_DEBUG=1)
`;

/** Settings from the environment a snippet repeats: never credentials or tokens. */
const SNIPPET_ENV = /^(AWS_PROFILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_ENDPOINT_URL(_API_GATEWAY)?|APIGW_MCP_(?!AUTH_TOKEN)\w+)$/;

/** LocalStack's and the emulator's dummy credentials: an endpoint without a profile needs some, and any will do. */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/**
 * The Claude Desktop entry that starts this server as it runs now: same node, same options, same settings, and the
 * files it uses by absolute path (a host starts it without XDG_STATE_HOME, so defaults would point elsewhere).
 */
export function claudeDesktopSnippet(argv: string[], config: Pick<Config, 'backend' | 'statePath' | 'auditLog' | 'endpointUrl' | 'profile'>, env: NodeJS.ProcessEnv = process.env): string {
  const given = (o: string) => argv.some((a) => a === o || a.startsWith(`${o}=`));
  const files = [...(config.backend === 'local' && !given('--state') ? ['--state', config.statePath] : []), ...(given('--audit-log') ? [] : ['--audit-log', config.auditLog])];
  const args = [resolve(process.argv[1] ?? 'bin/apigw-integration-mcp.js'), ...argv, ...files];
  const settings = {
    ...(config.endpointUrl && !config.profile ? DUMMY_CREDENTIALS : {}),
    ...Object.fromEntries(Object.entries(env).filter(([k, v]) => SNIPPET_ENV.test(k) && v)),
  };
  return JSON.stringify({ mcpServers: { 'apigw-integration': { command: process.execPath, args, ...(Object.keys(settings).length ? { env: settings } : {}) } } });
}

/** What the start-up log says about the approval page: where it will be, opened only when a change needs it. */
function approvalLine(config: Config): string {
  return config.approvalPort
    ? `approval page (when a client cannot ask): http://127.0.0.1:${config.approvalPort}/approve/..., opened on first use`
    : 'approval page (when a client cannot ask): on a free port of 127.0.0.1, chosen on first use (--approval-port to fix it)';
}

async function serve(argv: string[]): Promise<void> {
  // Stdin is read from the start and a 2025-era initialize answered at once: the answer needs nothing that
  // loads slowly (see earlyStdio.ts). Everything else waits for the server below.
  const early = argv.includes('--http') ? undefined : new EarlyStdio();
  const { parseServerArgs } = await import('./options.js');
  const config = parseServerArgs(argv);
  if (config.debug) process.env.APIGW_MCP_DEBUG = '1';
  // Loaded after option parsing so --help and bad options answer without loading the MCP SDK.
  // The transport loads in the same step (one round of module loading less at start).
  const [{ describeBackend }, { createContext }, { createServer }, { checkStateFiles }, transport] = await Promise.all([
    import('./backend.js'),
    import('./context.js'),
    import('./server.js'),
    import('./stateFiles.js'),
    config.http ? import('./http.js') : import('@modelcontextprotocol/server/stdio'),
  ]);
  const ctx = createContext(config);
  // Read-only checks (no file is written at start); a bad file is named once here and in every call's answer,
  // until it is fixed (checked again on each call while it is bad).
  const files = { statePath: config.backend === 'local' ? config.statePath : undefined, auditLog: config.auditLog, readOnly: config.readOnly };
  let problem = checkStateFiles(files);
  const fileCheck = { blocked: () => (problem &&= checkStateFiles(files)), recheck: () => (problem = checkStateFiles(files)) };
  const factory = () => createServer(ctx, fileCheck);
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
    const { httpToken, clientConfig } = await import('./httpToken.js');
    const { clientKeyOf } = await import('./safety/limits.js');
    const token = httpToken(config.http.authToken, config.http.host, dirname(config.statePath));
    const http = await transport.serveHttp(factory, { ...config.http, authToken: token.token, holdsQuestion: (id) => ctx.confirmer.waitingFor(clientKeyOf(id)) > 0 });
    closeTransport = http.close;
    // The serving line last: whoever waits for it (a script, a test) has the token's whereabouts by then.
    log(token.file ? `bearer token: generated for this run, in ${token.file} (readable only by you)` : 'bearer token: the one given (--auth-token or APIGW_MCP_AUTH_TOKEN)');
    log(`client configuration: ${clientConfig(http.url, token)}`);
    log(`${NAME} ${VERSION} serving MCP over Streamable HTTP at ${http.url} (bearer token required)`);
  } else if ('serveStdio' in transport && early) {
    // The client hanging up (stdin ends) stops the server the same way: its answers still go out first.
    const wire = new DrainingStdio(early, () => void stop());
    let handle: { close(): Promise<void> } | undefined;
    // Set before serving: input that ended before the SDK loaded reports the hang-up as the transport starts
    // (inside serveStdio), and its requests must still be answered before the process exits.
    closeTransport = async () => {
      // Bounded, as over HTTP: a call that never ends must not hold the shutdown forever.
      await wire.answered(10_000);
      await handle?.close();
    };
    handle = transport.serveStdio(factory, { transport: wire, onerror: (e) => log(`transport: ${e.message}`) });
    log(`${NAME} ${VERSION} serving MCP on stdio`);
  }
  log(`backend: ${describeBackend(config)}${config.backend === 'local' ? ` (started${config.emulatorPort ? ` on 127.0.0.1:${config.emulatorPort}` : ''}, and seeded with the demo APIs shop, inventory and legacy-billing, on first use)` : ''}`);
  if (problem) log(`every tool call will fail until this is fixed: ${problem}`);
  log(
    config.readOnly
      ? 'read-only: write tools are not registered'
      : `confirmation: ${config.confirm} (fallback ${config.confirmFallback}${config.elicitation ? '' : ', no elicitation'}); audit log ${config.auditLog}${config.allowApis.length ? `; writes allowed only on ${config.allowApis.join(', ')}` : ''}`,
  );
  const { describeRateLimit } = await import('./aws/pacing.js');
  log(config.awsRateLimit ? `AWS calls paced per account and region: ${describeRateLimit(config.awsRateLimit)}` : 'AWS calls are not paced (--aws-rate-limit off)');
  if (!config.readOnly && config.confirm !== 'never' && config.confirmFallback === 'page') log(approvalLine(config));
  if (config.confirm === 'never' && !config.readOnly) log('WARNING: --confirm never: risky changes (TLS verification off, new backends, credentials) are applied without asking anyone.');
  if (!config.http) log(`Claude Desktop config: ${claudeDesktopSnippet(argv, config)}`);
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
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stderr.write(HELP);
  if (values.debug) process.env.APIGW_MCP_DEBUG = '1';
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

/** A port taken at start: which option moves it. */
const portHint = (err: unknown) =>
  (err as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? ` (the port is in use, maybe by another copy: choose another with --port, or --port 0 for any free port)` : '';

export async function main(argv = process.argv.slice(2)): Promise<void> {
  // Hosts and .env files pass unset settings as empty strings: unset, for our options and the AWS SDK alike.
  dropEmptySettings(process.env);
  try {
    if (argv[0] === 'emulator') return await emulator(argv.slice(1));
    if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP);
    if (argv.includes('--version') || argv.includes('-v')) return void process.stdout.write(`${VERSION}\n`);
    await serve(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${NAME}: ${message}${portHint(err)}${err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? ' (see --help)' : ''}\n`);
    process.exit(2);
  }
}
