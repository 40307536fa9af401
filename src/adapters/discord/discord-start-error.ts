import { DiscordAPIError, DiscordjsError } from 'discord.js';

/**
 * Start-up failed because of a setting: the message names the variable to fix, so `npm start`
 * tells the operator what to change instead of printing a discord.js stack.
 */
export class DiscordStartError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DiscordStartError';
  }

  /** Explains a failed login in terms of DISCORD_TOKEN / DISCORD_API_BASE. */
  static fromLoginFailure(error: unknown, apiBase: string | undefined): DiscordStartError {
    const reason = error instanceof Error ? error.message : String(error);
    if ((error instanceof DiscordAPIError && error.status === 401) || (error instanceof DiscordjsError && error.code === 'TokenInvalid')) {
      return new DiscordStartError(
        `Discord did not accept the bot token (${reason}); check DISCORD_TOKEN (Developer Portal → Bot → Reset Token).`,
        error,
      );
    }
    if (error instanceof DiscordAPIError) {
      return new DiscordStartError(`Discord refused to connect the bot (${reason}).`, error);
    }
    return new DiscordStartError(
      `Could not reach Discord${apiBase ? ` at ${apiBase}` : ''} (${reason}); check the network${apiBase ? ' and DISCORD_API_BASE' : ''}.`,
      error,
    );
  }
}
