// Who is who in a conversation: the visitor as the widget named them, and the team's members by id.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';

/** The visitor's name, else their address, else "anonymous visitor". */
export const visitorName = (conversation, t) => conversation.submitter?.name || conversation.submitter?.email || t.anonymous;

/** The workspace's active members (GET /v1/users, once per view: it has a tighter rate limit than other reads). */
export function useMembers() {
  const [members, setMembers] = useState([]);
  useEffect(() => {
    api('GET', '/v1/users').then(answer => setMembers(answer.data.filter(u => u.status === 'active')), () => setMembers([]));
  }, []);
  return members;
}

export const memberName = (members, id) => {
  const member = members.find(u => u.id === id);
  return member ? member.name || member.email : id;
};
