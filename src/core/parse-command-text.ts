import type { CommandOption, OptionValues } from './command.js';
import { UserError } from './errors.js';
import { quoteInput } from './visible-text.js';
import { parseDecimal } from './decimal.js';
import { matchName } from './match-name.js';

/**
 * Slack hands a slash command its arguments as one string; the command's option list says how to
 * read it:
 * - `name:value` words at the start set options by name (`/scifi model:melville Call me`);
 * - the free-text option (the one named `seed`, else the last string option) takes the rest of
 *   the line, spaces and all, so `/scifi It all began` is one seed;
 * - options declared before it take one word each, in order
 *   (`/scifi-daily 09:30 Europe/Berlin A ship` → time, timezone, seed);
 * - options declared after it can only be set by name.
 * Values are checked against the options' limits here, so a typo is answered before anything is
 * queued.
 */
export function parseCommandText(
  commandName: string,
  options: readonly CommandOption[],
  text: string,
): OptionValues {
  const raw = new Map<string, string>();
  let rest = text.trim();
  const freeText = freeTextOption(options);

  for (;;) {
    const named = /^([A-Za-z][\w-]*)[:=](\S+)\s*([\s\S]*)$/.exec(rest);
    const option = named && options.find((o) => o.name.toLowerCase() === named[1]?.toLowerCase());
    // The free text is never taken by name: "seed:x y" is simply a seed.
    if (!named || !option || option === freeText || raw.has(option.name)) break;
    raw.set(option.name, named[2] ?? '');
    rest = named[3] ?? '';
  }

  const positional = freeText === undefined ? options : options.slice(0, options.indexOf(freeText));
  for (const option of positional) {
    if (raw.has(option.name)) continue;
    const word = /^(\S*)\s*([\s\S]*)$/.exec(rest);
    if (!word?.[1]) break;
    raw.set(option.name, word[1]);
    rest = word[2] ?? '';
  }
  if (freeText !== undefined && rest !== '' && !raw.has(freeText.name)) {
    raw.set(freeText.name, rest);
    rest = '';
  }
  if (rest !== '') {
    throw new UserError(
      `\`/${commandName}\` did not expect "${quoteInput(rest)}". Usage: ${usage(commandName, options)}`,
      'bad-option',
    );
  }

  const values: Record<string, string | number | undefined> = {};
  for (const option of options) {
    const value = raw.get(option.name);
    if (value === undefined || value === '') {
      if (option.required) {
        throw new UserError(
          `\`/${commandName}\` needs ${option.name}: ${option.description}. Usage: ${usage(commandName, options)}`,
          'bad-option',
        );
      }
      continue;
    }
    values[option.name] = checkValue(commandName, option, value);
  }
  return values;
}

/**
 * `/scifi [model:…] [length:short|medium|long] [seed]`, `/scifi-daily <time> [timezone] [seed]`,
 * built from the option list: named-only options first, as they must be typed first, with their
 * fixed choices spelled out since nothing else tells a terminal or Slack user what they are.
 */
export function usage(commandName: string, options: readonly CommandOption[]): string {
  const freeText = freeTextOption(options);
  const cut = freeText === undefined ? options.length : options.indexOf(freeText) + 1;
  const show = (o: CommandOption, name: string): string => (o.required ? `<${name}>` : `[${name}]`);
  const valueOf = (o: CommandOption): string => (o.choices?.length ? o.choices.join('|') : '…');
  const namedOnly = options.slice(cut).map((o) => show(o, `${o.name}:${valueOf(o)}`));
  const inOrder = options.slice(0, cut).map((o) => show(o, o.name));
  return `\`/${[commandName, ...namedOnly, ...inOrder].join(' ')}\``;
}

function freeTextOption(options: readonly CommandOption[]): CommandOption | undefined {
  const strings = options.filter((o) => o.type === 'string');
  return strings.find((o) => o.name === 'seed') ?? strings[strings.length - 1];
}

function checkValue(commandName: string, option: CommandOption, raw: string): string | number {
  if (option.type === 'number') {
    const value = parseDecimal(raw);
    if (value === undefined) {
      throw new UserError(`${option.name} must be a number, like 0.8 (got "${quoteInput(raw)}").`, 'bad-option');
    }
    if ((option.min !== undefined && value < option.min) || (option.max !== undefined && value > option.max)) {
      throw new UserError(
        `${option.name} must be between ${option.min ?? '-∞'} and ${option.max ?? '∞'} (got ${value}).`,
        'bad-option',
      );
    }
    return value;
  }
  const length = [...raw].length;
  if (option.maxLength !== undefined && length > option.maxLength) {
    throw new UserError(
      `${option.name} is too long for \`/${commandName}\`: at most ${option.maxLength} characters, got ${length}.`,
      'bad-option',
    );
  }
  if (option.choices !== undefined && option.choices.length > 0) {
    const choice = matchName(option.choices, raw);
    if (choice === undefined) {
      throw new UserError(`${option.name} must be one of ${option.choices.join(', ')} (got "${quoteInput(raw)}").`, 'bad-option');
    }
    return choice;
  }
  return raw;
}
