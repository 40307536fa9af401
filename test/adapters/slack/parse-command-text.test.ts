import { describe, expect, it } from 'vitest';
import { scifi, scifiDaily, scifiTemperature } from '../../../commands/index.js';
import { parseCommandText, usage } from '../../../src/core/parse-command-text.js';
import { UserError } from '../../../src/core/errors.js';

const parse = (command: typeof scifi, text: string) => parseCommandText(command.name, command.options, text);

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseCommandText', () => {
  it('gives /scifi the whole text as its seed, spaces and punctuation included', () => {
    expect(parse(scifi, '  It all began  with: a  ship.  ')).toEqual({ seed: 'It all began  with: a  ship.' });
    expect(parse(scifi, '')).toEqual({});
    expect(parse(scifi, 'Note: the seed:stays')).toEqual({ seed: 'Note: the seed:stays' });
  });

  it('takes options by name at the start (model:melville)', () => {
    expect(parse(scifi, 'model:melville Call me Ishmael')).toEqual({ model: 'melville', seed: 'Call me Ishmael' });
    expect(parse(scifi, 'MODEL=scifi')).toEqual({ model: 'scifi' });
  });

  it('takes /scifi length by name from its choices, in any order with the model, before the seed', () => {
    expect(parse(scifi, 'length:long model:melville The ship')).toEqual({ length: 'long', model: 'melville', seed: 'The ship' });
    expect(parse(scifi, 'model:scifi length=short')).toEqual({ model: 'scifi', length: 'short' });
    expect(parse(scifi, 'length:LONG A ship')).toEqual({ length: 'long', seed: 'A ship' });
    // Only at the start: further on it is part of the seed.
    expect(parse(scifi, 'The ship length:long')).toEqual({ seed: 'The ship length:long' });
    const wrong = refusal(() => parse(scifi, 'length:epic The ship'));
    expect(wrong.code).toBe('bad-option');
    expect(wrong.message).toBe('length must be one of short, medium, long (got "epic").');
  });

  it('reads /scifi-temperature as a number with its range', () => {
    expect(parse(scifiTemperature, '0.8')).toEqual({ value: 0.8 });
    expect(parse(scifiTemperature, '1,5')).toEqual({ value: 1.5 });
    expect(parse(scifiTemperature, '')).toEqual({});
    expect(refusal(() => parse(scifiTemperature, '3')).message).toMatch(/between 0\.1 and 2 \(got 3\)/);
    expect(refusal(() => parse(scifiTemperature, 'warm')).message).toMatch(/must be a number/);
    expect(refusal(() => parse(scifiTemperature, '0.5 please')).code).toBe('bad-option');
    expect(parse(scifiTemperature, '.5')).toEqual({ value: 0.5 });
    expect(parse(scifiTemperature, '1e0')).toEqual({ value: 1 });
    for (const text of ['0x1', '0b1', '0o1', '1_0', 'Infinity', '.', ',']) {
      expect(refusal(() => parse(scifiTemperature, text)).message).toMatch(/must be a number, like 0\.8/);
    }
  });

  it('reads /scifi-daily as time, time zone, then the rest as seed', () => {
    expect(parse(scifiDaily, '09:30 Europe/Berlin A ship at dawn')).toEqual({
      time: '09:30',
      timezone: 'Europe/Berlin',
      seed: 'A ship at dawn',
    });
    expect(parse(scifiDaily, 'off')).toEqual({ time: 'off' });
    expect(parse(scifiDaily, '07:00')).toEqual({ time: '07:00' });
    expect(refusal(() => parse(scifiDaily, '')).message).toMatch(/needs time/);
    expect(refusal(() => parse(scifiDaily, 'tomorrow-ish')).message).toMatch(/too long/);
  });

  it('quotes a bad value back short and with control characters shown as code points', () => {
    const huge = refusal(() => parse(scifiTemperature, 'x'.repeat(100_000))).message;
    expect(huge).toBe(`value must be a number, like 0.8 (got "${'x'.repeat(40)}…").`);
    const extra = refusal(() => parse(scifiTemperature, `1 ${'y '.repeat(50_000)}`)).message;
    expect(extra.length).toBeLessThan(200);
    const escape = refusal(() => parse(scifiTemperature, '\x1b[2J\u202e\0')).message;
    expect(escape).toContain('(got "[U+001B][2J[U+202E][U+0000]")');
    expect(escape).not.toMatch(/[\x00\x1b\u202e]/);
  });

  it('writes usage lines from the option list', () => {
    expect(usage(scifi.name, scifi.options)).toBe('`/scifi [model:…] [length:short|medium|long] [seed]`');
    expect(usage(scifiDaily.name, scifiDaily.options)).toBe('`/scifi-daily <time> [timezone] [seed]`');
    expect(usage(scifiTemperature.name, scifiTemperature.options)).toBe('`/scifi-temperature [value]`');
  });
});
