import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';

/** Answers kept at most; past it, expired ones go first, then the oldest. */
const MAX_CACHED_USERS = 1000;

/**
 * Slack has no per-command permissions, so "may change this channel's settings" means: a
 * workspace admin or owner (users.info, scope users:read), or a user id the operator listed.
 * Answers are cached briefly: a burst of commands costs one users.info, and a demoted admin loses
 * the right within a minute. The cache is bounded: a large workspace where many members try an
 * admin command must not grow it for the life of the process.
 */
export class AdminCheck {
  private readonly cache = new Map<string, { allowed: boolean; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly adminUsers: ReadonlySet<string>,
    private readonly cacheMs: number,
    private readonly logger: Logger,
  ) {}

  async canManage(user: string): Promise<boolean> {
    if (this.adminUsers.has(user)) return true;
    const cached = this.cache.get(user);
    if (cached && cached.until > Date.now()) return cached.allowed;
    let allowed = false;
    try {
      const { user: info } = await this.client.users.info({ user });
      allowed = Boolean(info?.is_admin || info?.is_owner || info?.is_primary_owner);
    } catch (error) {
      // Fail closed: without an answer from Slack, nobody gets admin rights by accident.
      this.logger.warn({ err: error, user }, 'users.info failed; treating user as not an admin');
      return false;
    }
    this.remember(user, allowed);
    return allowed;
  }

  /** Users whose answer is cached (for tests). */
  get cachedUsers(): number {
    return this.cache.size;
  }

  private remember(user: string, allowed: boolean): void {
    const now = Date.now();
    // Deleted first so the map's insertion order stays oldest-answer-first.
    this.cache.delete(user);
    this.cache.set(user, { allowed, until: now + this.cacheMs });
    if (this.cache.size <= MAX_CACHED_USERS) return;
    for (const [id, entry] of this.cache) if (entry.until <= now) this.cache.delete(id);
    for (const id of this.cache.keys()) {
      if (this.cache.size <= MAX_CACHED_USERS) break;
      this.cache.delete(id);
    }
  }
}
