/**
 * The Stytch errors this vendor raises, in one place so every route words them the same way.
 *
 * Every one renders as Stytch's envelope `{status_code, request_id, error_type, error_message, error_url}`
 * with the HTTP status equal to `status_code` (stytch-node takes `status_code` from the body but decides
 * "this is an error" from the HTTP status; KMP requires all five fields). Error type names are Stytch's
 * own (the `StytchAPIErrorType` enum of stytch-android); statuses follow the type's suffix where the
 * reference could not establish them (`*_not_found` → 404, argument problems → 400).
 *
 * @example
 * throw badRequest('token is required.');
 * throw oauthTokenNotFound();
 */
import { StytchApiError } from '../core/errors.js';

/** Malformed input: broken JSON, a wrong type, a missing field (`bad_request`, "The submitted request is invalid."). */
export const badRequest = (message: string) => new StytchApiError(400, 'bad_request', message);

/** Missing or wrong Basic credentials, with the exact message of Stytch's OpenAPI example. */
export const unauthorizedCredentials = () => new StytchApiError(401, 'unauthorized_credentials', 'Unauthorized credentials.');

export const oauthTokenNotFound = () =>
  new StytchApiError(404, 'oauth_token_not_found', 'The OAuth token could not be found, was already used, or has expired.');

export const sessionNotFound = () => new StytchApiError(404, 'session_not_found', 'Session could not be found.');

export const userNotFound = (userId: string) => new StytchApiError(404, 'user_not_found', `User ${userId} could not be found.`);

export const invalidSessionDuration = () =>
  new StytchApiError(400, 'invalid_session_duration_minutes', 'session_duration_minutes must be a whole number between 5 and 527040 (366 days).');

export const unparseableSessionJwt = () => new StytchApiError(401, 'unable_to_parse_session_jwt', 'The session JWT could not be parsed or its signature is invalid.');
