import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCheck } from '../../../src/adapters/slack/admin-check.js';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { MemoryLogger } from '../../fakes/silent-logger.js';

describe('AdminCheck (real WebClient against a fake Slack on 127.0.0.1)', () => {
  const api = new FakeSlackApi();
  let client: webApi.WebClient;

  beforeAll(async () => {
    await api.start();
    client = new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => api.stop());

  it('caches answers, but never more than a bounded number of members', async () => {
    api.users.set('UADMIN', { id: 'UADMIN', is_admin: true });
    const check = new AdminCheck(client, new Set(), 60_000, new MemoryLogger());
    expect(await check.canManage('UADMIN')).toBe(true);
    // Many members of a large workspace try an admin-only command once each.
    for (let i = 0; i < 1_100; i++) {
      const id = `UMEMBER${i}`;
      api.users.set(id, { id });
      expect(await check.canManage(id)).toBe(false);
    }
    expect(check.cachedUsers).toBeLessThanOrEqual(1_000);
    // The newest answers are the ones kept: no second users.info for them.
    const before = api.callsOf('users.info').length;
    expect(await check.canManage('UMEMBER1099')).toBe(false);
    expect(api.callsOf('users.info')).toHaveLength(before);
  }, 60_000);
});
