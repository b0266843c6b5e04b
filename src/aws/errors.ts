// Turns what the AWS SDK throws into a ToolError that keeps AWS's own message and adds what to do next.
import { ToolError, type ErrorCode } from '../errors.js';

const HINTS: Record<string, string> = {
  NotFoundException: 'Check the ids: list_apis lists the APIs, list_integrations the resources and methods of one (both also refresh the names this server has cached).',
  BadRequestException: 'API Gateway rejected the request as invalid; fix the value it names.',
  ConflictException: 'Someone changed this resource at the same time; read it again and retry.',
  TooManyRequestsException: 'API Gateway throttled the request (10 requests/s per account); wait and retry.',
  LimitExceededException: 'An API Gateway quota was reached; wait and retry, or raise the quota.',
  UnauthorizedException: 'The credentials in use are not allowed to do this; check the profile and its IAM permissions.',
  AccessDeniedException: 'The credentials in use are not allowed to do this; check the profile and its IAM permissions.',
  UnrecognizedClientException: 'The credentials are not valid for this account or region.',
  ServiceUnavailableException: 'API Gateway is unavailable right now; retry later.',
  CredentialsProviderError: 'No AWS credentials were found: pass --profile, set AWS_PROFILE, or use --backend local.',
};

/** AWS's answer to an API id it does not know (GetResources, GetStages...: the calls on a whole API). */
export const isMissingApi = (err: unknown): boolean =>
  (err as { name?: string })?.name === 'NotFoundException' && /^Invalid API identifier specified/.test(String((err as Error)?.message));

/** restApiId takes a name too; one of AWS's id shape is tried as an id, then as a name (see src/intent/target.ts). */
const NO_SUCH_API =
  'No REST API has that id, nor that name. list_apis lists every API with its id and name; restApiId takes either.';

/** AWS's error names -> the stable code an agent branches on; anything else is aws_error. */
const CODES: Record<string, ErrorCode> = {
  NotFoundException: 'not_found',
  ConflictException: 'conflict',
  TooManyRequestsException: 'throttled',
  ThrottlingException: 'throttled',
  LimitExceededException: 'throttled',
};

/** Where a failed call went, in a few words (the emulator's state file is in every result already). */
const where = (label: string) => label.replace(/ \(state [^)]*\)$/, '');

/** No credentials: with a named profile, that profile is what is missing or incomplete. */
const noCredentials = (profile: string) =>
  `Profile "${profile}" gave no credentials: it is not in ~/.aws/config or ~/.aws/credentials, or has no keys, role or SSO session (aws configure --profile ${profile}, or aws sso login --profile ${profile}).`;

export function fromAwsError(err: unknown, target: { label: string; profile?: string }): ToolError {
  const backend = where(target.label);
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; $response?: unknown };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(String(e?.message)))
    return new ToolError(`Cannot reach ${backend}: ${e.message}. Check --endpoint-url / AWS_ENDPOINT_URL, or that the emulator is running.`, 'aws_error');
  if (/Region is missing/i.test(String(e?.message)))
    return new ToolError(
      target.profile
        ? `No AWS region for profile "${target.profile}": it has none in ~/.aws/config, or the profile is not there at all. Pass region (or --region), or add the profile with a region.`
        : 'No AWS region is set: pass --region, set AWS_REGION, or give the profile a region.',
      'aws_error',
    );
  const hint =
    name === 'CredentialsProviderError' && target.profile
      ? noCredentials(target.profile)
      : isMissingApi(err)
        ? NO_SUCH_API
        : (HINTS[name] ?? '');
  const head = status ? `${name} (HTTP ${status})` : name;
  if (!e?.$metadata && !HINTS[name]) return new ToolError(`Unexpected error talking to ${backend}: ${e?.message ?? String(err)}`, 'aws_error');
  return new ToolError(`API Gateway (${backend}) answered ${head}: ${e?.message ?? String(err)}${hint ? `. ${hint}` : ''}`, CODES[name] ?? 'aws_error');
}

/** Whether a failed write may still have been applied: no HTTP answer at all, or an answer to a retry. */
export function outcomeUnknown(err: unknown): boolean {
  // The pacer refused the first attempt: nothing was sent.
  if ((err as { nothingSent?: boolean })?.nothingSent === true) return false;
  const meta = (err as { $metadata?: { attempts?: number; httpStatusCode?: number } })?.$metadata;
  return !meta?.httpStatusCode || (meta.attempts ?? 1) > 1;
}
