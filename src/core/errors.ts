/**
 * The wire error envelopes, one class each, all rendered by {@link errorResponse}.
 *
 * - WorkOS REST errors: `{"code", "message"}` (→ `GenericServerException`, `NotFoundException`, …).
 * - OAuth errors on `/user_management/authenticate`: `{"error", "error_description"}` (→ `OauthException`).
 * - Stytch errors: `{"status_code", "request_id", "error_type", "error_message", "error_url"}`, HTTP status
 *   equal to `status_code` (→ `StytchError`).
 *
 * @example
 * throw new OAuthError(400, 'invalid_grant', "The code 'x' has expired or is invalid.");
 * throw new WorkOSApiError(404, 'entity_not_found', 'User not found.');
 * throw new StytchApiError(404, 'session_not_found', 'Session could not be found.');
 */
import { stytchId } from './ids.js';

/** Base class: an error that already knows its HTTP status and JSON body. */
export abstract class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  abstract body(): Record<string, unknown>;
}

/** WorkOS `{code, message}` envelope. `extra` is spread into the body (e.g. `pending_authentication_token`). */
export class WorkOSApiError extends ApiError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(status, message);
  }
  body(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** OAuth 2.0 `{error, error_description}` envelope (RFC 6749 §5.2), as WorkOS answers on authenticate. */
export class OAuthError extends ApiError {
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(status, description);
  }
  body(): Record<string, unknown> {
    return { error: this.error, error_description: this.description, ...this.extra };
  }
}

/** Stytch's error envelope; the HTTP status always equals `status_code`. */
export class StytchApiError extends ApiError {
  constructor(
    status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(status, message);
  }
  body(): Record<string, unknown> {
    return {
      status_code: this.status,
      request_id: stytchId('request-id'),
      error_type: this.errorType,
      error_message: this.message,
      error_url: `https://stytch.com/docs/api/errors/${this.status}#${this.errorType}`,
    };
  }
}

/** Which vendor's envelope a path answers in when the error was not one of ours. */
export function vendorOfPath(path: string): 'stytch' | 'workos' {
  return path.startsWith('/v1/') || path.startsWith('/sdk/v1/') ? 'stytch' : 'workos';
}

/**
 * Turns any thrown value into a JSON `Response` in the right vendor's shape.
 * Unknown errors become a vendor-shaped 500 without a stack trace (the trace goes to `log`).
 */
export function errorResponse(error: unknown, path: string, log?: (line: string) => void): Response {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else {
    log?.(`mock-authkit: internal error on ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    apiError =
      vendorOfPath(path) === 'stytch'
        ? new StytchApiError(500, 'internal_server_error', 'Oops, something seems to have gone wrong.')
        : new WorkOSApiError(500, 'server_error', 'An internal error occurred.');
  }
  return jsonResponse(apiError.body(), apiError.status);
}

/** A JSON response with exactly `application/json` (the WorkOS SDK parses 2xx bodies only with that type). */
export function jsonResponse(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
