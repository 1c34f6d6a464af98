// The inbox: feedback newest first, filtered by status, type, widget, assignee and date, paged by the API's keyset links.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { members } from '../members.js';
import { html, Link, Problem, When } from '../ui.js';

export const STATUSES = ['new', 'pending', 'in_progress', 'resolved', 'closed'];
const TYPES = ['bug', 'idea', 'question'];
const NO_FILTER = { status: '', item_type: '', widget_id: '', assigned_to: '', from: '', to: '' };

/** The list's query: each filter as the API names it; dates are whole local days (to is inclusive). */
export function feedbackQuery(filter) {
  const query = new URLSearchParams({ limit: '50' });
  for (const name of ['status', 'item_type', 'widget_id', 'assigned_to']) {
    if (filter[name]) query.set(name, filter[name]);
  }
  if (filter.from) query.set('from', new Date(filter.from + 'T00:00:00').toISOString());
  if (filter.to) {
    const end = new Date(filter.to + 'T00:00:00');
    end.setDate(end.getDate() + 1);
    query.set('to', end.toISOString());
  }
  return '/v1/feedback?' + query;
}

export function Inbox({ t, me, go }) {
  const [filter, setFilter] = useState(NO_FILTER);
  const [rows, setRows] = useState(null);
  const [next, setNext] = useState(null);
  const [widgets, setWidgets] = useState([]);
  const [people, setMembers] = useState([]);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('GET', '/v1/widgets').then(a => setWidgets(a.data)).catch(() => setWidgets([]));
    members().then(all => setMembers(all.filter(u => u.status === 'active'))).catch(() => setMembers([]));
  }, []);

  // The list shown is the answer to the filter chosen last: an answer to an earlier one (or its "Older" page) is dropped.
  const shown = useRef('');
  async function load(url, append) {
    const query = shown.current = append ? shown.current : url;
    setError(null);
    try {
      const answer = await api('GET', url);
      if (query !== shown.current) return;
      setRows(old => (append ? [...(old || []), ...answer.data] : answer.data));
      setNext(answer.links?.next || null);
    } catch (e) { if (query === shown.current) setError(e); }
  }

  useEffect(() => { load(feedbackQuery(filter), false); }, [filter.status, filter.item_type, filter.widget_id, filter.assigned_to, filter.from, filter.to]);

  const set = name => e => setFilter({ ...filter, [name]: e.target.value });
  const widgetName = id => widgets.find(w => w.id === id)?.name || '';
  const memberName = id => { const m = people.find(u => u.id === id); return m ? m.name || m.email : ''; };
  return html`<main>
    <h1>${t.inbox}</h1>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select value=${filter.status} onChange=${set('status')}>
        <option value="">${t.all}</option>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
      </select></label>
      <label>${t.type} <select value=${filter.item_type} onChange=${set('item_type')}>
        <option value="">${t.all}</option>
        ${TYPES.map(s => html`<option value=${s}>${t.types[s]}</option>`)}
      </select></label>
      <label>${t.widget} <select value=${filter.widget_id} onChange=${set('widget_id')}>
        <option value="">${t.all}</option>
        ${widgets.map(w => html`<option value=${w.id}>${w.name}</option>`)}
      </select></label>
      <label>${t.assignee} <select value=${filter.assigned_to} onChange=${set('assigned_to')}>
        <option value="">${t.anyone}</option>
        <option value=${me.user.id}>${t.me}</option>
        ${people.filter(u => u.id !== me.user.id).map(u => html`<option value=${u.id}>${u.name || u.email}</option>`)}
      </select></label>
      <label>${t.from} <input type="date" value=${filter.from} max=${filter.to || undefined} onChange=${set('from')} /></label>
      <label>${t.to} <input type="date" value=${filter.to} min=${filter.from || undefined} onChange=${set('to')} /></label>
      ${Object.values(filter).some(Boolean) && html`<button type="button" class="secondary" onClick=${() => setFilter(NO_FILTER)}>${t.clearFilters}</button>`}
    </form>
    <${Problem} error=${error} />
    ${rows === null ? html`<p>${t.loading}</p>` : rows.length === 0 ? html`<p>${t.noFeedback}</p>` : html`<table class="inbox">
      <thead><tr><th scope="col">${t.titleCol}</th><th scope="col">${t.type}</th><th scope="col">${t.status}</th><th scope="col">${t.widget}</th><th scope="col">${t.assignee}</th><th scope="col">${t.created}</th></tr></thead>
      <tbody>${rows.map(f => html`<tr>
        <td><${Link} go=${go} href=${'/app/feedback/' + f.id}>${f.title || (f.body || '').slice(0, 80) || f.id}<//></td>
        <td>${t.types[f.item_type] || f.item_type || ''}</td><td>${t.statuses[f.status] || f.status}</td>
        <td>${widgetName(f.widget_id)}</td><td>${memberName(f.assigned_to)}</td><td><${When} at=${f.created_at} /></td>
      </tr>`)}</tbody>
    </table>`}
    ${next && html`<button onClick=${() => load(next, true)}>${t.more}</button>`}
  </main>`;
}
