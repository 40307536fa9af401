/**
 * Generated text and seeds must never ping anyone. Adapters already send with mentions disabled
 * (Discord allowed_mentions, Slack escaping); this is the platform-neutral second line of defence:
 * a zero-width joiner breaks every mention syntax while leaving the text readable.
 */
const ZWJ = '\u200d';

export function defuseMentions(text: string): string {
  return text
    .replace(/@(everyone|here|channel)/gi, `@${ZWJ}$1`)
    .replace(/<([@#!])/g, `<${ZWJ}$1`);
}
