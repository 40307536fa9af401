import type { CommandOption, OptionValues } from '../../core/command.js';
import { UserError } from '../../core/errors.js';

/**
 * Slack hands a slash command its arguments as one string. The command's option list says how to
 * read it: every option but the last takes one word, the last string option takes the rest of the
 * text (so `/scifi <seed>` keeps the whole seed, spaces and all, and
 * `/scifi-daily 09:30 Europe/Berlin A ship` gives time, timezone and seed). Values are checked
 * against the options' limits here, so the user hears about a typo before anything is queued.
 */
export function parseCommandText(
  commandName: string,
  options: readonly CommandOption[],
  text: string,
): OptionValues {
  const values: Record<string, string | number | undefined> = {};
  let rest = text.trim();
  options.forEach((option, index) => {
    const isLast = index === options.length - 1;
    let raw: string;
    if (isLast && option.type === 'string') {
      raw = rest;
      rest = '';
    } else {
      const match = /^(\S*)\s*([\s\S]*)$/.exec(rest);
      raw = match?.[1] ?? '';
      rest = match?.[2] ?? '';
    }
    values[option.name] = raw === '' ? undefined : checkValue(commandName, option, raw);
  });
  if (rest !== '') {
    throw new UserError(
      `\`/${commandName}\` got more than it expects ("${rest}"). Usage: ${usage(commandName, options)}`,
      'bad-option',
    );
  }
  for (const option of options) {
    if (option.required && values[option.name] === undefined) {
      throw new UserError(
        `\`/${commandName}\` needs ${option.name} (${option.description}). Usage: ${usage(commandName, options)}`,
        'bad-option',
      );
    }
  }
  return values;
}

/** `/scifi-daily <time> <timezone> [seed]`, built from the option list. */
export function usage(commandName: string, options: readonly CommandOption[]): string {
  const parts = options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return `\`/${[commandName, ...parts].join(' ')}\``;
}

function checkValue(commandName: string, option: CommandOption, raw: string): string | number {
  if (option.type === 'number') {
    const value = Number(raw.replace(',', '.'));
    if (!Number.isFinite(value)) {
      throw new UserError(`${option.name} must be a number, like 0.8 — got "${raw}".`, 'bad-option');
    }
    if ((option.min !== undefined && value < option.min) || (option.max !== undefined && value > option.max)) {
      throw new UserError(
        `${option.name} must be between ${option.min ?? '-∞'} and ${option.max ?? '∞'} — got ${value}.`,
        'bad-option',
      );
    }
    return value;
  }
  if (option.maxLength !== undefined && [...raw].length > option.maxLength) {
    throw new UserError(
      `${option.name} is too long for \`/${commandName}\`: at most ${option.maxLength} characters, got ${[...raw].length}.`,
      'bad-option',
    );
  }
  if (option.choices !== undefined && option.choices.length > 0 && !option.choices.includes(raw)) {
    throw new UserError(
      `${option.name} must be one of ${option.choices.join(', ')} — got "${raw}".`,
      'bad-option',
    );
  }
  return raw;
}
