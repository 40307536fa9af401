/**
 * Who a Slack message would notify, read the way Slack reads message text: control sequences
 * `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and `<@U…>` always ping; with
 * `link_names` or `parse: full`, plain `@channel`/`@here`/`@everyone` and `@name` do too.
 */
export function pingsIn(text: string, params: Readonly<Record<string, string>>): string[] {
  const pings: string[] = [];
  for (const match of text.matchAll(/<(!(?:channel|here|everyone|subteam\^[^>|]+)|@[UW][A-Z0-9]+)[^>]*>/g)) {
    pings.push(match[1] ?? '');
  }
  const linkNames = params['link_names'] === 'true' || params['link_names'] === '1' || params['parse'] === 'full';
  if (linkNames) {
    for (const match of text.matchAll(/(?:^|\s)@(channel|here|everyone|[a-z0-9._-]+)/g)) {
      pings.push(`@${match[1] ?? ''}`);
    }
  }
  return pings;
}

/** What a person sees for escaped Slack text. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
