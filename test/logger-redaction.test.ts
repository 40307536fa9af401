import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';

function captured(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('log lines never carry credentials', () => {
  it('drops the interaction token from a logged discord.js API error (its url field)', () => {
    const sink = captured();
    const logger = createLogger('info', sink);
    const url = `https://discord.com/api/v10/webhooks/1100000000000000000/${INTERACTION_TOKEN}/messages/@original`;
    const error = new DiscordAPIError({ code: 10008, message: 'Unknown Message' }, 10008, 404, 'PATCH', url, {});
    logger.error({ err: error, command: 'scifi' }, 'command failed');
    const out = sink.lines.join('');
    expect(out).toContain('Unknown Message');
    expect(out).toContain('/webhooks/1100000000000000000/[redacted]/messages/@original');
    expect(out).not.toContain(INTERACTION_TOKEN);
  });

  it('drops the token of an interaction callback from a 5xx HTTPError', () => {
    const sink = captured();
    const logger = createLogger('info', sink);
    const url = `https://discord.com/api/v10/interactions/1200000000000000000/${INTERACTION_TOKEN}/callback`;
    logger.warn({ err: new HTTPError(503, 'Service Unavailable', 'POST', url, {}) }, 'defer failed');
    expect(sink.lines.join('')).not.toContain(INTERACTION_TOKEN);
  });

  it('drops Slack tokens, response_url secrets and a Discord bot token from messages', () => {
    const sink = captured();
    const logger = createLogger('info', sink);
    const botToken = 'MTEwMDAwMDAwMDAwMDAwMDAwMA.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789';
    logger.warn(
      { err: new Error(`auth failed for xoxb-1234-5678-abcdEFGH and xapp-1-A01-999-ffee`) },
      `posting to https://hooks.slack.com/commands/T0001/2222/abcSecret with Bot ${botToken}`,
    );
    const out = sink.lines.join('');
    for (const secret of ['1234-5678-abcdEFGH', '1-A01-999-ffee', 'abcSecret', botToken, 'GaBcDe']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('xoxb-[redacted]');
    expect(JSON.parse(sink.lines[0] ?? '')).toHaveProperty('level', 40);
  });
});
