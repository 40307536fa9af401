import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';

/**
 * Slack has no per-command permissions, so "may change this channel's settings" means: a
 * workspace admin or owner (users.info, scope users:read), or a user id the operator listed.
 * Answers are cached briefly: a burst of commands costs one users.info, and a demoted admin loses
 * the right within a minute.
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
    this.cache.set(user, { allowed, until: Date.now() + this.cacheMs });
    return allowed;
  }
}
