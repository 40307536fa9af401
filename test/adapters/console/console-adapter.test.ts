import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.js';
import { createConsoleAdapter } from '../../../src/adapters/console/console-adapter.js';
import { createBot } from '../../../src/core/create-bot.js';
import { MemoryJobStore, MemoryRecordStore, MemorySettingsStore } from '../../fakes/memory-stores.js';
import { STORY_LENGTH, STORY_LENGTHS } from '../../../src/core/limits.js';
import { ScriptedEngine, scriptedContinuation } from '../../fakes/scripted-engine.js';
import { MemoryLogger } from '../../fakes/silent-logger.js';

/** Feeds lines to the terminal adapter as a pipe would and returns everything it printed. */
async function runLines(lines: readonly string[]): Promise<string> {
  const logger = new MemoryLogger();
  const bot = createBot({
    engine: new ScriptedEngine(),
    settingsStore: new MemorySettingsStore(),
    records: new MemoryRecordStore(),
    jobs: new MemoryJobStore(),
    limits: { concurrency: 2, maxWaiting: 5, maxWaitingPerUser: 2, jobsPerMinute: 10 },
    createDaily: () => ({ schedule: (s) => s, cancel: () => false, get: () => undefined, nextRun: () => undefined }),
    logger,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const adapter = createConsoleAdapter({ input, output, tty: false, commands: allCommands, bot, logger });
  bot.attach(adapter);
  await adapter.start();
  input.end(lines.map((line) => `${line}\n`).join(''));
  await adapter.inputEnded;
  await bot.idle();
  return printed;
}

describe('terminal adapter: bad input', () => {
  it('answers an unknown command in one short line, escape sequences shown, not sent to the terminal', async () => {
    const printed = await runLines([`/${'q'.repeat(100_000)}`, '/sc\x1b[2Jifi']);
    expect(printed).toBe(
      `Unknown command /${'q'.repeat(40)}…. Type /help for the list.\n` +
        'Unknown command /sc[U+001B][2Jifi. Type /help for the list.\n',
    );
  });

  it('takes every line that starts with a slash as a command, so "/ scifi" is not written as a story', async () => {
    const printed = await runLines(['/ scifi', '/']);
    expect(printed).toBe('Unknown command /. Type /help for the list.\n'.repeat(2));
  });
});

const ENGINE_TEXT = ' and the stars burned cold over the silent ship.';

describe('terminal adapter: /help and story sizes', () => {
  it('lists /scifi with its length choices, from the command definitions', async () => {
    const printed = await runLines(['/help']);
    expect(printed).toContain('/scifi [model:…] [length:short|medium|long] [seed]  — Write a science-fiction story');
  });

  it('writes a shorter story for length:short and a longer one for length:long than for no length', async () => {
    const printed = await runLines(['/scifi length:short Near', '/scifi Middle', '/scifi length:long Far']);
    // Each finished story is printed once, wrapped at word boundaries with indented lines.
    const storyOf = (seed: string): string => {
      const finished = new RegExp(`\\[story \\d\\] (${seed} [^✍]*?)\\n\\[story \\d\\] \\(done\\)`).exec(printed);
      return (finished?.[1] ?? '').replace(/\n {4}/g, ' ');
    };
    expect(storyOf('Near')).toBe(`Near${scriptedContinuation(ENGINE_TEXT, STORY_LENGTHS.short)}`);
    expect(storyOf('Middle')).toBe(`Middle${scriptedContinuation(ENGINE_TEXT, STORY_LENGTH)}`);
    expect(storyOf('Far')).toBe(`Far${scriptedContinuation(ENGINE_TEXT, STORY_LENGTHS.long)}`);
    expect(storyOf('Near').length - 'Near'.length).toBeLessThan(storyOf('Middle').length - 'Middle'.length);
    expect(storyOf('Far').length - 'Far'.length).toBeGreaterThan(storyOf('Middle').length - 'Middle'.length);
  });
});
