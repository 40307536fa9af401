import type { CommandDefinition } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';

/** /scifi-model [name] — show the models, or (with Manage Channels) choose this channel's. */
export const scifiModel: CommandDefinition = {
  name: 'scifi-model',
  description: "Show the available writers, or choose this channel's",
  requiresManageChannel: true,
  options: [
    {
      name: 'name',
      description: 'The model to use in this channel, e.g. scifi or melville',
      type: 'string',
      choicesFrom: 'models',
      maxLength: 64,
    },
  ],
  async run(ctx) {
    const current = ctx.bot.settings.effective(ctx.channelId).model;
    const name = typeof ctx.options.name === 'string' ? ctx.options.name.trim() : '';
    if (name === '') {
      const list = ctx.bot
        .models()
        .map((m) => `${m.id === current ? '▸' : '•'} ${m.id}${m.description ? ` — ${m.description}` : ''}`)
        .join('\n');
      await ctx.replyPrivately(`This channel writes with "${current}". Available:\n${list}`);
      return;
    }
    if (!(await ctx.canManageChannel())) {
      throw new UserError("Only people who can manage this channel may change its model.", 'forbidden');
    }
    ctx.bot.settings.setModel(ctx.channelId, name);
    await ctx.replyPrivately(`This channel now writes with "${name}" (was "${current}").`);
  },
};
