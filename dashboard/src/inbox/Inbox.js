// The inbox: feedback newest first, filtered, paged by the API's keyset links.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Link, Problem } from '../ui.js';

export const STATUSES = ['new', 'pending', 'in_progress', 'resolved', 'closed'];

export function Inbox({ t, go }) {
  const [filter, setFilter] = useState({ status: '', item_type: '' });
  const [pages, setPages] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);

  async function load(url, append) {
    try {
      const answer = await api('GET', url);
      setPages(append ? [...pages, ...answer.data] : answer.data);
      setNext(answer.links?.next || null);
    } catch (e) { setError(e); }
  }

  useEffect(() => {
    const query = new URLSearchParams({ limit: '50' });
    if (filter.status) query.set('status', filter.status);
    if (filter.item_type) query.set('item_type', filter.item_type);
    load('/v1/feedback?' + query, false);
  }, [filter.status, filter.item_type]);

  return html`<main>
    <h1>${t.inbox}</h1>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select value=${filter.status} onChange=${e => setFilter({ ...filter, status: e.target.value })}>
        <option value="">${t.all}</option>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
      </select></label>
      <label>${t.type} <select value=${filter.item_type} onChange=${e => setFilter({ ...filter, item_type: e.target.value })}>
        <option value="">${t.all}</option>
        ${['bug', 'idea', 'question'].map(s => html`<option value=${s}>${s}</option>`)}
      </select></label>
    </form>
    <${Problem} error=${error} />
    ${pages.length === 0 ? html`<p>${t.noFeedback}</p>` : html`<table class="inbox">
      <thead><tr><th scope="col">${t.titleCol}</th><th scope="col">${t.type}</th><th scope="col">${t.status}</th><th scope="col">${t.created}</th></tr></thead>
      <tbody>${pages.map(f => html`<tr>
        <td><${Link} go=${go} href=${'/app/feedback/' + f.id}>${f.title || (f.body || '').slice(0, 80) || f.id}<//></td>
        <td>${f.item_type || ''}</td><td>${t.statuses[f.status] || f.status}</td><td><time datetime=${f.created_at}>${new Date(f.created_at).toLocaleString()}</time></td>
      </tr>`)}</tbody>
    </table>`}
    ${next && html`<button onClick=${() => load(next, true)}>${t.more}</button>`}
  </main>`;
}
