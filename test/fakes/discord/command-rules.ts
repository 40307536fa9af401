/**
 * Discord's validation of application-command JSON, as documented under "Application Command
 * Naming", "Application Command Structure" and "Application Command Option Structure"
 * (discord-api-docs, docs/interactions/application-commands). The fake answers a PUT that breaks
 * one of these rules with 400 / 50035 Invalid Form Body, as Discord does, so a deploy test fails
 * where the real deploy would.
 */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMANDS = 100;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const STRING = 3;
const INTEGER = 4;
const NUMBER = 10;

type Json = Record<string, unknown>;

/** The first broken rule as `path: problem`, or undefined when Discord would accept the list. */
export function commandListError(body: unknown): string | undefined {
  if (!Array.isArray(body)) return 'body: must be an array of commands';
  if (body.length > MAX_COMMANDS) return `body: at most ${MAX_COMMANDS} commands`;
  const names = new Set<string>();
  for (const [i, command] of (body as Json[]).entries()) {
    const problem = commandError(command, `${i}`);
    if (problem) return problem;
    if (names.has(String(command['name']))) return `${i}.name: duplicate command name`;
    names.add(String(command['name']));
  }
  return undefined;
}

function commandError(command: Json, at: string): string | undefined {
  const problem = nameError(command['name'], `${at}.name`) ?? descriptionError(command['description'], `${at}.description`);
  if (problem) return problem;
  const permissions = command['default_member_permissions'];
  if (permissions !== undefined && permissions !== null && (typeof permissions !== 'string' || !/^\d+$/.test(permissions))) {
    return `${at}.default_member_permissions: must be a string of digits or null`;
  }
  const options = (command['options'] ?? []) as Json[];
  if (options.length > MAX_OPTIONS) return `${at}.options: at most ${MAX_OPTIONS}`;
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [j, option] of options.entries()) {
    const path = `${at}.options.${j}`;
    const optionProblem = optionError(option, path);
    if (optionProblem) return optionProblem;
    if (names.has(String(option['name']))) return `${path}.name: duplicate option name`;
    names.add(String(option['name']));
    if (option['required'] === true && optionalSeen) return `${path}.required: required options must come before optional ones`;
    if (option['required'] !== true) optionalSeen = true;
  }
  return undefined;
}

function optionError(option: Json, at: string): string | undefined {
  const problem = nameError(option['name'], `${at}.name`) ?? descriptionError(option['description'], `${at}.description`);
  if (problem) return problem;
  const type = option['type'];
  const numeric = type === INTEGER || type === NUMBER;
  if ((option['min_value'] !== undefined || option['max_value'] !== undefined) && !numeric) {
    return `${at}: min_value and max_value are for INTEGER and NUMBER options`;
  }
  for (const key of ['min_length', 'max_length'] as const) {
    const value = option[key];
    if (value === undefined) continue;
    if (type !== STRING) return `${at}.${key}: only for STRING options`;
    const least = key === 'min_length' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least || value > 6000) {
      return `${at}.${key}: must be an integer from ${least} to 6000`;
    }
  }
  const choices = option['choices'] as Json[] | undefined;
  if (choices !== undefined) {
    if (!(type === STRING || numeric)) return `${at}.choices: only for STRING, INTEGER and NUMBER options`;
    if (choices.length > MAX_CHOICES) return `${at}.choices: at most ${MAX_CHOICES}`;
    if (option['autocomplete'] === true) return `${at}.autocomplete: may not be set with choices`;
    for (const [k, choice] of choices.entries()) {
      const name = choice['name'];
      if (typeof name !== 'string' || [...name].length < 1 || [...name].length > 100) return `${at}.choices.${k}.name: 1-100 characters`;
      const value = choice['value'];
      if (type === STRING ? typeof value !== 'string' || [...value].length > 100 : typeof value !== 'number') {
        return `${at}.choices.${k}.value: must match the option type (strings up to 100 characters)`;
      }
    }
  }
  return undefined;
}

function nameError(name: unknown, at: string): string | undefined {
  if (typeof name !== 'string' || !NAME.test(name)) return `${at}: must match ${NAME.source}`;
  if (name !== name.toLowerCase()) return `${at}: must use the lowercase variant of its letters`;
  return undefined;
}

function descriptionError(description: unknown, at: string): string | undefined {
  const length = typeof description === 'string' ? [...description].length : 0;
  return length >= 1 && length <= 100 ? undefined : `${at}: must be 1-100 characters`;
}
