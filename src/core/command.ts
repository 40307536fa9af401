import type { ChannelId, MessageSurface, UserId } from './ports.js';
import type { BotServices } from './bot-services.js';

/** Plain data describing one option; adapters turn it into a slash-command option or a parser. */
export interface CommandOption {
  readonly name: string;
  readonly description: string;
  readonly type: 'string' | 'number';
  readonly required?: boolean;
  /** For numbers: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** For strings: the longest value accepted. */
  readonly maxLength?: number;
  /** For strings: fixed choices. */
  readonly choices?: readonly string[];
  /** For strings: the value names a model, so its choices are the models being served. */
  readonly choicesFrom?: 'models';
}

export type OptionValues = Readonly<Record<string, string | number | undefined>>;

export interface CommandContext {
  readonly platform: string;
  readonly channelId: ChannelId;
  readonly userId: UserId;
  readonly options: OptionValues;
  /** May this user change the channel's settings? (Discord: Manage Channels; Slack: admin/owner.) */
  canManageChannel(): Promise<boolean>;
  /** A short answer only the user sees where the platform allows it (ephemeral). */
  replyPrivately(text: string): Promise<void>;
  /** Where a story streams (Discord: the deferred reply; Slack: a new message in the channel). */
  storySurface(): MessageSurface;
  readonly bot: BotServices;
}

export interface CommandDefinition {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CommandOption[];
  /** Platforms hide the command from members without Manage Channels (still checked on receipt). */
  readonly requiresManageChannel?: boolean;
  run(ctx: CommandContext): Promise<void>;
}

/**
 * The definitions with dynamic choices filled in (model options list the served models), for
 * platforms that show choices as a menu. Definitions themselves stay plain data.
 */
export function withModelChoices(
  commands: readonly CommandDefinition[],
  modelIds: readonly string[],
): CommandDefinition[] {
  return commands.map((command) => ({
    ...command,
    options: command.options.map((option) =>
      option.choicesFrom === 'models' && modelIds.length > 0 ? { ...option, choices: [...modelIds] } : option,
    ),
  }));
}
