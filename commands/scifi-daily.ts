import type { CommandDefinition } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { SEED_MAX_CHARS } from '../src/core/limits.js';

/** /scifi-daily time:<HH:MM|off> [timezone] [seed] — a longer story posted here every day. */
export const scifiDaily: CommandDefinition = {
  name: 'scifi-daily',
  description: 'Post a longer story in this channel every day at a time you choose',
  requiresManageChannel: true,
  options: [
    {
      name: 'time',
      description: 'HH:MM (24-hour) to post each day, or "off" to stop',
      type: 'string',
      required: true,
      maxLength: 5,
    },
    {
      name: 'timezone',
      description: 'IANA time zone such as Europe/Berlin (default UTC)',
      type: 'string',
      maxLength: 64,
    },
    {
      name: 'seed',
      description: 'How each daily story begins (default: a new opening each day)',
      type: 'string',
      maxLength: SEED_MAX_CHARS,
    },
  ],
  async run(ctx) {
    if (!(await ctx.canManageChannel())) {
      throw new UserError('Only people who can manage this channel may schedule its daily story.', 'forbidden');
    }
    const time = String(ctx.options.time ?? '').trim();
    if (time.toLowerCase() === 'off') {
      const cancelled = ctx.bot.daily.cancel(ctx.channelId);
      await ctx.replyPrivately(cancelled ? 'The daily story is off for this channel.' : 'No daily story was scheduled here.');
      return;
    }
    const timeZone = typeof ctx.options.timezone === 'string' && ctx.options.timezone ? ctx.options.timezone : 'UTC';
    const seed = typeof ctx.options.seed === 'string' && ctx.options.seed ? ctx.options.seed : undefined;
    const schedule = ctx.bot.daily.schedule({
      channelId: ctx.channelId,
      time,
      timeZone,
      ...(seed ? { seed } : {}),
    });
    const next = ctx.bot.daily.nextRun(ctx.channelId);
    await ctx.replyPrivately(
      `A story will be posted here every day at ${schedule.time} (${schedule.timeZone})` +
        (next ? `; the next one ${next.toISOString().replace('T', ' ').slice(0, 16)} UTC.` : '.'),
    );
  },
};
