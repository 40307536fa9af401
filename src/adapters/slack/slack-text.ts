/**
 * Slack reads `<…>` as control sequences: `<!channel>`, `<!here>`, `<!everyone>`, `<@U123>`,
 * `<#C123>` and links. Escaping the three characters Slack asks apps to escape turns all of them
 * into plain text, so neither a seed nor generated text can ever ping anyone.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Sent with every post and update so Slack never turns names into mentions on its own: with
 * `parse: none` and no `link_names`, only `<!channel>`-style sequences would ping, and escaping
 * rules those out.
 */
export const NO_MENTIONS = { parse: 'none', link_names: false } as const;

/**
 * Slack sends text to apps with `&`, `<` and `>` encoded; a seed is decoded once so the model
 * sees what the person typed ("a < b", not "a &lt; b"). Encoding on the way out makes it safe
 * again.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
