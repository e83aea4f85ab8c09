/** vAPI error responses: the HTTP status that goes with each error type. */
import { localizable, vapiError, type VapiError, type VapiErrorType } from '../model/vapi-errors';
import type { ApiResponse } from './api-response';

const STATUS_BY_ERROR_TYPE: Record<VapiErrorType, number> = {
  INVALID_ARGUMENT: 400,
  NOT_ALLOWED_IN_CURRENT_STATE: 400,
  RESOURCE_BUSY: 400,
  UNAUTHENTICATED: 401,
  UNAUTHORIZED: 403,
  NOT_FOUND: 404,
  OPERATION_NOT_FOUND: 404,
  ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  TIMED_OUT: 504,
};

/** HTTP status for a vAPI error type, as documented for the `/api` endpoints. */
export function statusForErrorType(errorType: VapiErrorType): number {
  return STATUS_BY_ERROR_TYPE[errorType];
}

/** The error type vCenter reports with `status`, if one maps to it. */
export function errorTypeForStatus(status: number): VapiErrorType | undefined {
  const found = Object.entries(STATUS_BY_ERROR_TYPE).find(([, mapped]) => mapped === status);
  return found?.[0] as VapiErrorType | undefined;
}

/** An ApiResponse carrying `error` with its matching status. */
export function errorResponse(error: VapiError): ApiResponse {
  return { status: statusForErrorType(error.error_type), body: error };
}

/** A one-message error response. */
export function simpleError(errorType: VapiErrorType, id: string, text: string, args: string[] = []): ApiResponse {
  return errorResponse(vapiError(errorType, localizable(id, text, args)));
}

/** 400 INVALID_ARGUMENT for a bad request body or parameter. */
export function invalidArgument(text: string): ApiResponse {
  return simpleError('INVALID_ARGUMENT', 'vapi.invalid.argument', text);
}

/** 404 for a path or operation the simulated vCenter does not have. */
export function unknownOperation(method: string, path: string): ApiResponse {
  return simpleError('NOT_FOUND', 'vapi.operation.not_found', `No operation matches ${method} ${path}.`, [
    method,
    path,
  ]);
}

/** 503 SERVICE_UNAVAILABLE, as seen while the vCenter service is moving or overloaded. */
export function serviceUnavailable(): ApiResponse {
  return simpleError(
    'SERVICE_UNAVAILABLE',
    'vapi.service.unavailable',
    'The vCenter service is temporarily unavailable.',
  );
}
