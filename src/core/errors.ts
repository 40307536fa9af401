/**
 * An error whose message is written for the person who sent the command. Adapters show it as is
 * (privately where the platform allows); any other error is logged and answered generically.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Machine-readable reason, for metrics and tests. */
    readonly code: UserErrorCode,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export type UserErrorCode =
  | 'busy'
  | 'user-cap'
  | 'rate-limited'
  | 'bad-option'
  | 'unknown-model'
  | 'forbidden'
  | 'not-found'
  | 'shutting-down';

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
