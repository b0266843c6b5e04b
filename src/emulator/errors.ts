// API Gateway errors as the service sends them (apigw-spec.md §1.5): the SDK reads the type from the
// x-amzn-ErrorType header (else body __type) and the text from body `message`, so both carry the same values.

export type ErrorType =
  | 'BadRequestException'
  | 'NotFoundException'
  | 'ConflictException'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'TooManyRequestsException'
  | 'ServiceUnavailableException'
  | 'AccessDeniedException'
  | 'InternalFailure';

const STATUS: Record<ErrorType, number> = {
  BadRequestException: 400,
  NotFoundException: 404,
  ConflictException: 409,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 404,
  TooManyRequestsException: 429,
  ServiceUnavailableException: 503,
  AccessDeniedException: 403,
  InternalFailure: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ErrorType,
    message: string,
    /** Extra response headers, e.g. Retry-After on 429 and 503. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = STATUS[type];
  }
}

export const badRequest = (message: string) => new ApiError('BadRequestException', message);
export const notFound = (message: string) => new ApiError('NotFoundException', message);
export const conflict = (message: string) => new ApiError('ConflictException', message);
export const serialization = (message: string) => new ApiError('SerializationException', message);

/** One Coral constraint violation; `validation()` joins them the way AWS does (§2.2). */
export interface Violation {
  value: unknown;
  at: string;
  constraint: string;
}

export const enumConstraint = (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`;
export const STATUS_CODE_PATTERN = '[1-5]\\d\\d';
export const statusCodeViolation = (value: string): Violation => ({
  value,
  at: 'statusCode',
  constraint: `Member must satisfy regular expression pattern: ${STATUS_CODE_PATTERN}`,
});

export function validation(violations: readonly Violation[]): ApiError {
  const n = violations.length;
  const parts = violations.map((v) =>
    v.value === null ? `Value null at '${v.at}' failed to satisfy constraint: ${v.constraint}` : `Value '${String(v.value)}' at '${v.at}' failed to satisfy constraint: ${v.constraint}`,
  );
  return new ApiError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`);
}

export function errorBody(err: ApiError): { message: string; __type: ErrorType } {
  return { message: err.message, __type: err.type };
}
