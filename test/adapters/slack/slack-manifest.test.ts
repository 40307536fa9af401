import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.js';

const manifest = readFileSync(new URL('../../../slack-manifest.yaml', import.meta.url), 'utf8');

/** The items of a YAML block list that follows `key:` (the manifest keeps them one per line). */
function listAfter(key: string): string[] {
  const start = manifest.indexOf(`${key}:`);
  expect(start).toBeGreaterThanOrEqual(0);
  const items: string[] = [];
  for (const line of manifest.slice(start).split('\n').slice(1)) {
    if (/^\s*#/.test(line)) continue;
    const item = /^\s*- ([\w:.]+)\s*$/.exec(line);
    if (!item) break;
    items.push(item[1] ?? '');
  }
  return items;
}

describe('slack-manifest.yaml', () => {
  it('declares exactly the bot commands, all on /slack/events', () => {
    const declared = [...manifest.matchAll(/- command: \/(\S+)/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(allCommands.map((c) => c.name).sort());
    const urls = [...manifest.matchAll(/url: (https?:\/\/\S+)/g)].map((m) => m[1]);
    expect(urls.length).toBe(allCommands.length + 1);
    for (const url of urls) expect(url).toMatch(/\/slack\/events$/);
  });

  it('asks for the scopes and events the adapter uses', () => {
    expect(listAfter('bot')).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'reactions:read', 'users:read', 'channels:history']),
    );
    expect(listAfter('bot_events')).toEqual(['reaction_added']);
  });
});
