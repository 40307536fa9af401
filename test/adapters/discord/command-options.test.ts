import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/adapters/discord/command-options.js';
import type { CommandOption } from '../../../src/core/command.js';
import { UserError } from '../../../src/core/errors.js';

const options: CommandOption[] = [
  { name: 'time', description: 'HH:MM', type: 'string', required: true, maxLength: 5 },
  { name: 'value', description: 'temperature', type: 'number', min: 0.1, max: 2 },
  { name: 'model', description: 'model', type: 'string', choices: ['scifi', 'melville'] },
];

function refusal(raw: { name: string; value?: string | number }[]): UserError {
  try {
    parseOptions(options, raw);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('slash-command options checked on receipt', () => {
  it('passes values that keep to the definition and leaves absent ones out', () => {
    expect(parseOptions(options, [{ name: 'time', value: '09:30' }, { name: 'value', value: 0.7 }])).toEqual({ time: '09:30', value: 0.7 });
  });

  it('refuses a missing required option, naming it', () => {
    const error = refusal([{ name: 'value', value: 1 }]);
    expect(error.code).toBe('bad-option');
    expect(error.message).toBe('Please give `time` (HH:MM).');
  });

  it('refuses numbers out of range with the range', () => {
    expect(refusal([{ name: 'time', value: '09:30' }, { name: 'value', value: 2.5 }]).message).toBe(
      '`value` must be from 0.1 to 2; you gave 2.5.',
    );
    expect(refusal([{ name: 'time', value: '09:30' }, { name: 'value', value: 'warm' }]).message).toBe(
      '`value` must be a number from 0.1 to 2; you gave "warm".',
    );
    // A stale definition can deliver text (up to 6000 characters): it is quoted back short and visible.
    expect(refusal([{ name: 'time', value: '09:30' }, { name: 'value', value: `\u202e${'w'.repeat(6000)}` }]).message).toBe(
      `\`value\` must be a number from 0.1 to 2; you gave "[U+202E]${'w'.repeat(39)}…".`,
    );
  });

  it('refuses strings that are too long (in characters, not UTF-16 units) or not among the choices', () => {
    expect(parseOptions(options, [{ name: 'time', value: '🚀🚀🚀🚀🚀' }])).toEqual({ time: '🚀🚀🚀🚀🚀' });
    expect(refusal([{ name: 'time', value: '09:30:00' }]).message).toBe('`time` may be at most 5 characters; yours has 8.');
    expect(refusal([{ name: 'time', value: '09:30' }, { name: 'model', value: 'poe' }]).message).toBe(
      '`model` must be one of `scifi`, `melville`.',
    );
  });
});
