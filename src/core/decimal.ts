/**
 * A number as people type one: digits with a decimal point or a decimal comma (half of Europe
 * writes 0,8), optionally with an exponent. Nothing else: Number() would also take "0x1" or
 * "0b1" as 1, which nobody means as a temperature. Undefined when the text is not such a number.
 */
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i;

export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}
