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
