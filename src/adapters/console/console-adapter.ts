import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { BotServices } from '../../core/bot-services.js';
import type { CommandContext, CommandDefinition } from '../../core/command.js';
import { isUserError } from '../../core/errors.js';
import type { ChannelId, Logger, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import { parseCommandText, usage } from '../../core/parse-command-text.js';
import { quoteInput } from '../../core/visible-text.js';
import type { PlatformAdapter } from '../platform-adapter.js';
import { CONSOLE_PLATFORM, ConsoleSurface } from './console-surface.js';
import { TerminalScreen } from './terminal-screen.js';

export interface ConsoleAdapterOptions {
  readonly input: Readable;
  readonly output: Writable & { columns?: number };
  /** Redraw replies in place (a terminal) or print each edit as plain lines (a pipe). */
  readonly tty: boolean;
  readonly commands: readonly CommandDefinition[];
  readonly bot: BotServices;
  readonly logger: Logger;
}

export interface ConsoleAdapter extends PlatformAdapter {
  /** Resolves when the input has ended and every command read from it has been handed over. */
  readonly inputEnded: Promise<void>;
}

const CHANNEL: ChannelId = `${CONSOLE_PLATFORM}:local:terminal`;
const USER = `${CONSOLE_PLATFORM}:local:you`;

/**
 * Lets anyone try the bot with no tokens: commands are read line by line from stdin
 * (`/scifi It all began with`, `/scifi-temperature 0.8`); a line without a slash is a /scifi seed.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const screen = new TerminalScreen(options.output, options.tty);
  const byName = new Map(options.commands.map((c) => [c.name, c]));
  // Lines are handled one after another, as typed: "/scifi-temperature 0.8" then "/scifi" must
  // see the new temperature. A story's run() returns once it is accepted, so this never waits
  // for a story to be written.
  let handled: Promise<void> = Promise.resolve();
  let stories = 0;
  let endInput!: () => void;
  const inputEnded = new Promise<void>((resolve) => (endInput = resolve));

  const surface = (): MessageSurface => new ConsoleSurface(screen, `story ${++stories}`, CHANNEL);

  async function handle(line: string): Promise<void> {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (trimmed === '/help' || trimmed === 'help') {
      screen.note(helpText(options.commands));
      return;
    }
    // Any line starting with a slash is a command (help says so): "/ scifi" is a typo, not a seed.
    const match = /^\/(\S*)\s*([\s\S]*)$/.exec(trimmed);
    const name = match ? (match[1] ?? '') : 'scifi';
    const text = match ? (match[2] ?? '') : trimmed;
    const command = byName.get(name);
    if (!command) {
      screen.note(`Unknown command /${quoteInput(name)}. Type /help for the list.`);
      return;
    }
    try {
      const ctx: CommandContext = {
        platform: CONSOLE_PLATFORM,
        channelId: CHANNEL,
        userId: USER,
        options: parseCommandText(command.name, command.options, text),
        // The person at the terminal owns the bot.
        canManageChannel: async () => true,
        replyPrivately: async (reply) => screen.note(reply),
        storySurface: surface,
        bot: options.bot,
      };
      await command.run(ctx);
    } catch (error) {
      if (isUserError(error)) {
        screen.note(`⚠️  ${error.message}`);
      } else {
        options.logger.error({ err: error, line }, 'command failed');
        screen.note('⚠️  Something went wrong on my side; the details are in the log.');
      }
    }
  }

  return {
    platform: CONSOLE_PLATFORM,
    inputEnded,
    async start() {
      const lines = createInterface({ input: options.input, terminal: false });
      lines.on('line', (line) => {
        handled = handled.then(() => handle(line));
      });
      lines.on('close', () => {
        void handled.then(() => endInput());
      });
      if (options.tty) {
        screen.note('Type an opening line (or /help). Ctrl-D to quit once the stories are done.');
      }
    },
    async stop() {
      options.input.pause();
    },
    channelSurface: () => surface(),
    // A terminal cannot edit what a previous process printed: resumed jobs print anew.
    resumeSurface: (_address: SurfaceAddress) => surface(),
  };
}

function helpText(commands: readonly CommandDefinition[]): string {
  const lines = commands.map((c) => `  ${usage(c.name, c.options).replace(/`/g, '')}  — ${c.description}`);
  return ['Commands:', ...lines, '  Any line without a slash is the opening of a /scifi story.'].join('\n');
}
