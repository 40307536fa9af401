export { createSlackAdapter, SLACK_DEFAULTS } from './slack-adapter.js';
export type { SlackAdapter, SlackAdapterOptions } from './slack-adapter.js';
export { SlackStartError } from './slack-errors.js';
