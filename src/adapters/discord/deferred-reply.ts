import type { InteractionHook } from './discord-messenger.js';

/** Discord's interaction token lifetime and the margin kept before it, written once. */
export const INTERACTION_TOKEN = {
  lifetimeMs: 15 * 60_000,
  /** Stop using the token this long before it expires: an edit started late must still land. */
  marginMs: 60_000,
} as const;

/**
 * The deferred response of one interaction, shared by its story surface and its private replies:
 * whoever writes first decides what the "thinking…" message becomes.
 */
export class DeferredReply implements InteractionHook {
  /** loading: still "thinking…"; used: it shows text; deleted: removed, follow-ups only. */
  original: 'loading' | 'used' | 'deleted';
  originalMessageId: string | undefined;
  /** Set when Discord refused the token (expired early or revoked). */
  private dead = false;

  constructor(
    readonly applicationId: string,
    readonly token: string,
    /** Epoch ms after which the token is no longer trusted (lifetime minus margin). */
    readonly usableUntil: number,
    /** An ephemeral deferral: its messages are private and cannot hold a public story. */
    readonly ephemeral: boolean,
    original: DeferredReply['original'] = 'loading',
    originalMessageId?: string,
  ) {
    this.original = original;
    this.originalMessageId = originalMessageId;
  }

  static forInteraction(
    interaction: { applicationId: string; token: string; createdTimestamp: number },
    ephemeral: boolean,
    lifetimeMs: number = INTERACTION_TOKEN.lifetimeMs,
    marginMs: number = INTERACTION_TOKEN.marginMs,
  ): DeferredReply {
    const usableUntil = interaction.createdTimestamp + lifetimeMs - marginMs;
    return new DeferredReply(interaction.applicationId, interaction.token, usableUntil, ephemeral);
  }

  usable(now = Date.now()): boolean {
    return !this.dead && now < this.usableUntil;
  }

  markDead(): void {
    this.dead = true;
  }
}
