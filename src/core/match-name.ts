/**
 * The candidate a user meant by a name typed by hand (Slack, terminal): an exact match first, else
 * the one equal ignoring case ("Long" is long, "Melville" is melville); undefined when none is.
 */
export function matchName(candidates: readonly string[], typed: string): string | undefined {
  const lower = typed.toLowerCase();
  return candidates.find((c) => c === typed) ?? candidates.find((c) => c.toLowerCase() === lower);
}
