/**
 * What Discord would ping for a message, given its content and allowed_mentions. An absent
 * allowed_mentions means Discord's default: every mention in the content is parsed and pings.
 */
export interface AllowedMentionsBody {
  readonly parse?: readonly string[];
  readonly users?: readonly string[];
  readonly roles?: readonly string[];
  readonly replied_user?: boolean;
}

export function pingsFor(content: string, allowed: AllowedMentionsBody | undefined): string[] {
  const parse = allowed === undefined ? ['everyone', 'users', 'roles'] : (allowed.parse ?? []);
  const pings: string[] = [];
  if (parse.includes('everyone')) {
    for (const m of content.matchAll(/@(everyone|here)/g)) pings.push(`@${m[1]}`);
  }
  for (const m of content.matchAll(/<@!?(\d+)>/g)) {
    const id = m[1] ?? '';
    if (parse.includes('users') || allowed?.users?.includes(id)) pings.push(`user:${id}`);
  }
  for (const m of content.matchAll(/<@&(\d+)>/g)) {
    const id = m[1] ?? '';
    if (parse.includes('roles') || allowed?.roles?.includes(id)) pings.push(`role:${id}`);
  }
  return pings;
}
