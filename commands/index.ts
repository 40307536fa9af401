import type { CommandDefinition } from '../src/core/command.js';
import { scifi } from './scifi.js';
import { scifiDaily } from './scifi-daily.js';
import { scifiModel } from './scifi-model.js';
import { scifiTemperature } from './scifi-temperature.js';

/** Every user command, in the order help lists them. Explicit on purpose: no globbing. */
export const allCommands: readonly CommandDefinition[] = [scifi, scifiTemperature, scifiModel, scifiDaily];

export { scifi, scifiDaily, scifiModel, scifiTemperature };
