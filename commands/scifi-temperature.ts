import type { CommandDefinition } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { TEMPERATURE } from '../src/core/limits.js';

/** /scifi-temperature [value] — show or (with Manage Channels) set the channel's temperature. */
export const scifiTemperature: CommandDefinition = {
  name: 'scifi-temperature',
  description: "Show or set this channel's story temperature (low = careful, high = wild)",
  requiresManageChannel: true,
  options: [
    {
      name: 'value',
      description: `From ${TEMPERATURE.min} to ${TEMPERATURE.max}; the default is ${TEMPERATURE.default}`,
      type: 'number',
      min: TEMPERATURE.min,
      max: TEMPERATURE.max,
    },
  ],
  async run(ctx) {
    const value = ctx.options.value;
    const current = ctx.bot.settings.effective(ctx.channelId);
    if (value === undefined) {
      await ctx.replyPrivately(`This channel's temperature is ${current.temperature}.`);
      return;
    }
    if (!(await ctx.canManageChannel())) {
      throw new UserError(
        'Only people who can manage this channel may change its temperature.',
        'forbidden',
      );
    }
    ctx.bot.settings.setTemperature(ctx.channelId, Number(value));
    const now = ctx.bot.settings.effective(ctx.channelId).temperature;
    await ctx.replyPrivately(`Temperature for this channel is now ${now} (was ${current.temperature}).`);
  },
};
