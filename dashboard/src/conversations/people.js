// Who is who in a conversation: the visitor as the widget named them, and the team's members by id.
import { useEffect, useState } from 'preact/hooks';
import { members } from '../members.js';

/** The visitor's name, else their address, else "anonymous visitor". */
export const visitorName = (conversation, t) => conversation.submitter?.name || conversation.submitter?.email || t.anonymous;

/** The workspace's active members (the shared list, members.js: GET /v1/users has a tighter rate limit than other reads). */
export function useMembers() {
  const [active, setActive] = useState([]);
  useEffect(() => {
    members().then(all => setActive(all.filter(u => u.status === 'active')), () => setActive([]));
  }, []);
  return active;
}

export const memberName = (members, id) => {
  const member = members.find(u => u.id === id);
  return member ? member.name || member.email : id;
};
