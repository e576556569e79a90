/**
 * Who counts as staff: members of the Slack user group (`S…`) or channel (`C…`, `G…`) named in
 * `CABILDO_STAFF`. Asked of Slack and kept for a minute, so a removal takes effect quickly.
 */
import type { WebClient } from '@slack/web-api';

const CACHE_MS = 60_000;

export class StaffDirectory {
  private cache: { members: Set<string>; at: number } | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly staff: string,
    private readonly now: () => number = Date.now,
  ) {}

  async isStaff(userId: string): Promise<boolean> {
    if (!this.cache || this.now() - this.cache.at > CACHE_MS) this.cache = { members: await this.load(), at: this.now() };
    return this.cache.members.has(userId);
  }

  private async load(): Promise<Set<string>> {
    if (this.staff.startsWith('S')) {
      const res = await this.client.usergroups.users.list({ usergroup: this.staff });
      return new Set(res.users ?? []);
    }
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const res = await this.client.conversations.members({ channel: this.staff, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const m of res.members ?? []) members.add(m);
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }
}
