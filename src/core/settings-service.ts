import type { ChannelSettingsService } from './bot-services.js';
import { UserError } from './errors.js';
import { TEMPERATURE } from './limits.js';
import { matchName } from './match-name.js';
import type { ChannelId, ChannelSettings, ChannelSettingsStore, ModelInfo } from './ports.js';
import { quoteInput } from './visible-text.js';

/** Channel settings with defaults and validation over a store. */
export class SettingsService implements ChannelSettingsService {
  constructor(
    private readonly store: ChannelSettingsStore,
    private readonly models: () => readonly ModelInfo[],
  ) {}

  effective(channelId: ChannelId): ChannelSettings {
    const stored = this.store.get(channelId);
    const available = this.models();
    // A model removed since it was chosen falls back to the default rather than failing stories.
    const model =
      stored.model && available.some((m) => m.id === stored.model)
        ? stored.model
        : (available[0]?.id ?? 'scifi');
    return { temperature: stored.temperature ?? TEMPERATURE.default, model };
  }

  setTemperature(channelId: ChannelId, temperature: number): void {
    this.store.setTemperature(channelId, validateTemperature(temperature));
  }

  setModel(channelId: ChannelId, model: string): void {
    this.store.setModel(channelId, validateModel(model, this.models()));
  }
}

export function validateTemperature(value: number): number {
  if (!Number.isFinite(value) || value < TEMPERATURE.min || value > TEMPERATURE.max) {
    throw new UserError(
      `Temperature must be a number from ${TEMPERATURE.min} to ${TEMPERATURE.max} (low is careful, high is wild; the default is ${TEMPERATURE.default}).`,
      'bad-option',
    );
  }
  return Math.round(value * 100) / 100;
}

/** The served model's id for a name as typed ("Melville" is melville), or a friendly refusal. */
export function validateModel(model: string, available: readonly ModelInfo[]): string {
  const known = matchName(available.map((m) => m.id), model);
  if (known === undefined) {
    const names = available.map((m) => m.id).join(', ');
    throw new UserError(`There is no model called "${quoteInput(model)}". Try one of: ${names}.`, 'unknown-model');
  }
  return known;
}
