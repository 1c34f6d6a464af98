// The list of conversations: open ones first by default, newest first, keyset paging, refreshed on its own.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Link, Problem, When } from '../ui.js';
import { usePolling } from './polling.js';
import { memberName, useMembers, visitorName } from './people.js';

export const STATUSES = ['open', 'resolved'];
const REFRESH_MS = 5000;

/** GET /v1/conversations?status=…&limit=50: the first page for a status filter ('' is all). */
const firstPage = status => '/v1/conversations?' + new URLSearchParams(status ? { status, limit: '50' } : { limit: '50' });

export function ConversationList({ t: shell, go }) {
  const t = shell.conversations;
  const [status, setStatus] = useState('open');
  const [list, setList] = useState(null); // { rows, next }
  const [error, setError] = useState(null);
  const [heard, setHeard] = useState('');
  const members = useMembers();
  const shown = useRef(firstPage('open')); // the query on screen: an answer to an older one is dropped
  const current = useRef(null);
  current.current = list;

  useEffect(() => {
    const query = shown.current = firstPage(status);
    setList(null);
    setError(null);
    api('GET', query).then(answer => query === shown.current && setList(fresh(answer)), setError);
  }, [status]);

  usePolling(async () => {
    const query = shown.current;
    try {
      const answer = await api('GET', query);
      if (query !== shown.current) return;
      const old = current.current;
      const arrived = old ? answer.data.filter(c => !old.rows.length || c.id > old.rows[0].id).length : 0;
      setList(refreshed(old, answer));
      if (arrived) setHeard(t.arrived(arrived));
      setError(null);
    } catch (e) { setError(e); throw e; }
  }, REFRESH_MS);

  async function older() {
    const query = shown.current; // an answer for a filter no longer shown is dropped
    try {
      const answer = await api('GET', list.next);
      if (query !== shown.current) return;
      setList(old => old && ({ rows: [...old.rows, ...answer.data.filter(c => !old.rows.some(r => r.id === c.id))], next: answer.links?.next || null }));
    } catch (e) { if (query === shown.current) setError(e); }
  }

  return html`<main class="conversations">
    <h1>${t.title}</h1>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select value=${status} onChange=${e => setStatus(e.target.value)}>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
        <option value="">${t.all}</option>
      </select></label>
    </form>
    <p class="hint">${t.listUpdates}</p>
    <p class="visually-hidden" aria-live="polite">${heard}</p>
    <${Problem} error=${error} />
    ${list === null ? html`<p>${t.loading}</p>` : list.rows.length === 0 ? html`<p>${t.none}</p>` : html`<table class="conversation-list">
      <thead><tr>
        <th scope="col">${t.visitor}</th><th scope="col">${t.page}</th><th scope="col">${t.messages}</th>
        <th scope="col">${t.updated}</th><th scope="col">${t.assignee}</th><th scope="col">${t.status}</th>
      </tr></thead>
      <tbody>${list.rows.map(c => html`<tr key=${c.id}>
        <td><${Link} go=${go} href=${'/app/conversations/' + c.id}>${visitorName(c, t)}<//></td>
        <td class="url">${c.page?.url || '—'}</td>
        <td>${c.message_count}</td>
        <td><${When} at=${c.updated_at} /></td>
        <td>${c.assigned_to ? memberName(members, c.assigned_to) : t.nobody}</td>
        <td>${t.statuses[c.status] || c.status}</td>
      </tr>`)}</tbody>
    </table>`}
    ${list?.next && html`<button onClick=${older}>${t.older}</button>`}
  </main>`;
}

const fresh = answer => ({ rows: answer.data, next: answer.links?.next || null });

/**
 * The first page asked again, with the older pages already shown kept below it. Ids sort by creation, as the list
 * does (newest first): what is older than the first page's last row was on the later pages.
 */
function refreshed(old, answer) {
  if (!old || !answer.links?.next || answer.data.length === 0) return fresh(answer);
  const last = answer.data[answer.data.length - 1].id;
  const below = old.rows.filter(c => c.id < last);
  return { rows: [...answer.data, ...below], next: below.length ? old.next : answer.links.next };
}
