// The workspace's members (GET /v1/users), shared by the views that name or assign people and asked again at most every
// 20 seconds per tab: triaging report after report would otherwise meet that endpoint's own limit (30 reads a minute).
import { api } from './api.js';

const FRESH_MS = 20_000;
let cached = null;

/** The members and invitations, as GET /v1/users lists them. */
export function members() {
  if (!cached || Date.now() - cached.at > FRESH_MS) {
    const list = api('GET', '/v1/users').then(answer => answer.data);
    cached = { at: Date.now(), list };
    list.catch(() => { if (cached?.list === list) cached = null; }); // a failure is not kept
  }
  return cached.list;
}
