/**
 * An operational problem the person running mock-authkit can fix (bad flag, unusable database file,
 * invalid fixture): the CLI prints its message as one line and exits 1, without a stack trace.
 *
 * @example
 * throw new UserFacingError('port 4400 is already in use; pass --port 0 for any free port');
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}
