import type { CommandDefinition } from '../src/core/command.js';
import { DEFAULT_STORY_LENGTH_NAME, SEED_MAX_CHARS } from '../src/core/limits.js';
import { STORY_LENGTH_NAMES, storyLengthFor } from '../src/core/story-length.js';

/** /scifi [seed] [model] [length] — a story that continues the user's opening as they watch. */
export const scifi: CommandDefinition = {
  name: 'scifi',
  description: 'Write a science-fiction story that continues your opening line',
  options: [
    {
      name: 'seed',
      description: 'How the story begins (leave empty and I will pick an opening)',
      type: 'string',
      maxLength: SEED_MAX_CHARS,
    },
    {
      name: 'model',
      description: 'Which writer to imitate (defaults to the channel setting)',
      type: 'string',
      choicesFrom: 'models',
    },
    {
      name: 'length',
      description: `How long a story to write (default ${DEFAULT_STORY_LENGTH_NAME})`,
      type: 'string',
      choices: STORY_LENGTH_NAMES,
    },
  ],
  async run(ctx) {
    const seed = typeof ctx.options.seed === 'string' ? ctx.options.seed : '';
    const model = typeof ctx.options.model === 'string' ? ctx.options.model : undefined;
    const length = storyLengthFor(typeof ctx.options.length === 'string' ? ctx.options.length : undefined);
    // Returns once the story is accepted; it streams into the surface on its own.
    await ctx.bot.stories.start({
      kind: 'story',
      channelId: ctx.channelId,
      userId: ctx.userId,
      seed,
      ...(model ? { model } : {}),
      ...(length !== undefined ? { length } : {}),
      surface: ctx.storySurface(),
    });
  },
};
