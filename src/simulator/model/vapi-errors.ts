/** vAPI standard errors and localizable messages, in the snake_case shape used on the wire. */

/** The error types the simulator reports (a subset of VapiStdErrorsErrorType). */
export type VapiErrorType =
  | 'ERROR'
  | 'INVALID_ARGUMENT'
  | 'NOT_ALLOWED_IN_CURRENT_STATE'
  | 'NOT_FOUND'
  | 'OPERATION_NOT_FOUND'
  | 'RESOURCE_BUSY'
  | 'SERVICE_UNAVAILABLE'
  | 'TIMED_OUT'
  | 'UNAUTHENTICATED'
  | 'UNAUTHORIZED';

/** VapiStdLocalizableMessage. */
export interface LocalizableMessage {
  id: string;
  default_message: string;
  args: string[];
}

/** The vAPI standard error body (VapiStdErrorsError and its siblings). */
export interface VapiError {
  error_type: VapiErrorType;
  messages: LocalizableMessage[];
  /** Only on UNAUTHENTICATED: the authentication scheme the server expects. */
  challenge?: string;
}

/** Builds a localizable message whose text is already substituted. */
export function localizable(id: string, defaultMessage: string, args: string[] = []): LocalizableMessage {
  return { id, default_message: defaultMessage, args };
}

/** Builds a vAPI error from its type and a stack of messages (first = top-level description). */
export function vapiError(errorType: VapiErrorType, ...messages: LocalizableMessage[]): VapiError {
  return { error_type: errorType, messages };
}

/** Privilege needed for failover, mode changes and a full (non-partial) cluster get. */
export const PRIVILEGE_VCSERVER = 'Global.VCServer';
/** Privilege needed for read-only calls, including a partial cluster get. */
export const PRIVILEGE_READ = 'System.Read';

/** The UNAUTHORIZED error a user without `privilege` receives. */
export function unauthorizedError(privilege: string): VapiError {
  return vapiError(
    'UNAUTHORIZED',
    localizable(
      'vapi.security.authorization.invalid',
      `Unable to authorize user: operation execution requires the ${privilege} privilege.`,
      [privilege],
    ),
  );
}

/**
 * The UNAUTHENTICATED error for a missing or unknown session, or (with `challenge`) for a login
 * with bad credentials, where it names the scheme to authenticate with.
 */
export function unauthenticatedError(detail: string, challenge = false): VapiError {
  const error = vapiError('UNAUTHENTICATED', localizable('vapi.security.authentication.invalid', detail));
  return challenge ? { ...error, challenge: 'Basic realm="VAPI endpoint"' } : error;
}
