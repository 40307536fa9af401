import type { CommandOption, OptionValues } from '../../core/command.js';
import { UserError } from '../../core/errors.js';
import { quoteInput } from '../../core/visible-text.js';

/** A slash-command option as discord.js hands it over: a name and a raw value. */
export interface RawOption {
  readonly name: string;
  readonly value?: string | number | boolean | undefined;
}

/**
 * Checks the options Discord delivered against the command's definition. Discord enforces the
 * declared limits in its client, but commands may be stale (deployed from older definitions) and
 * anyone can craft a request, so every limit is checked again here, with a message a person can act on.
 */
export function parseOptions(definitions: readonly CommandOption[], raw: readonly RawOption[]): OptionValues {
  const given = new Map(raw.map((o) => [o.name, o.value]));
  const values: Record<string, string | number | undefined> = {};
  for (const option of definitions) {
    const value = given.get(option.name);
    if (value === undefined || value === '') {
      if (option.required) throw bad(`Please give \`${option.name}\` (${option.description}).`);
      continue;
    }
    values[option.name] = option.type === 'number' ? checkNumber(option, value) : checkString(option, value);
  }
  return values;
}

function checkNumber(option: CommandOption, value: string | number | boolean): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) throw bad(`\`${option.name}\` must be a number${range(option)}; you gave "${quoteInput(String(value))}".`);
  if ((option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max)) {
    throw bad(`\`${option.name}\` must be${range(option)}; you gave ${n}.`);
  }
  return n;
}

function checkString(option: CommandOption, value: string | number | boolean): string {
  const s = String(value);
  if (option.maxLength !== undefined && [...s].length > option.maxLength) {
    throw bad(`\`${option.name}\` may be at most ${option.maxLength} characters; yours has ${[...s].length}.`);
  }
  if (option.choices && !option.choices.includes(s)) {
    throw bad(`\`${option.name}\` must be one of ${option.choices.map((c) => `\`${c}\``).join(', ')}.`);
  }
  return s;
}

function range(option: CommandOption): string {
  if (option.min !== undefined && option.max !== undefined) return ` from ${option.min} to ${option.max}`;
  if (option.min !== undefined) return ` of at least ${option.min}`;
  if (option.max !== undefined) return ` of at most ${option.max}`;
  return '';
}

function bad(message: string): UserError {
  return new UserError(message, 'bad-option');
}
