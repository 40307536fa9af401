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

/**
 * A platform refused a write for a reason retrying cannot fix (the bot is not in the channel, the
 * channel is gone). Adapters wrap such failures in it so the core gives up at once.
 */
export class PermanentPlatformError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentPlatformError';
  }
}

/**
 * The message to edit no longer exists: someone deleted it (a moderator, or the user who asked).
 * Adapters throw it from MessageSurface.edit; the progressive message then ends the reply.
 */
export class MessageGoneError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MessageGoneError';
  }
}

/**
 * The message still exists but can no longer be edited (Slack's edit window closed, or the bot
 * lost the right to edit it). Nobody removed it, so the progressive message posts that part anew.
 */
export class MessageUneditableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MessageUneditableError';
  }
}
