// The workspace's widgets (GET /v1/widgets): name, status and project key; an admin creates one (POST /v1/widgets).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Link, Problem, isAdmin } from '../../ui.js';

export function WidgetList({ t, me, go }) {
  const w = t.settings.widgets;
  const [widgets, setWidgets] = useState(null);
  const [name, setName] = useState('');
  const [error, setError] = useState(null);

  useEffect(() => { api('GET', '/v1/widgets').then(answer => setWidgets(answer.data), setError); }, []);

  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      const created = (await api('POST', '/v1/widgets', { name })).data;
      go('/app/settings/widgets/' + created.id);
    } catch (failure) { setError(failure); }
  }

  return html`<section class="widgets">
    <h2>${w.heading}</h2>
    <${Problem} error=${error} />
    ${!widgets ? !error && html`<p>${t.loading}</p>` : !widgets.length ? html`<p>${w.none}</p>` : html`<table class="widget-list">
      <thead><tr><th scope="col">${w.name}</th><th scope="col">${w.status}</th><th scope="col">${w.projectKey}</th></tr></thead>
      <tbody>${widgets.map(widget => html`<tr>
        <td><${Link} go=${go} href=${'/app/settings/widgets/' + widget.id}>${widget.name}<//></td>
        <td><${Status} t=${t} widget=${widget} /></td>
        <td><code>${widget.project_key}</code></td>
      </tr>`)}</tbody>
    </table>`}
    ${isAdmin(me) && html`<form class="create" onSubmit=${create}>
      <h3>${w.create}</h3>
      <label for="new-widget-name">${w.createName}</label>
      <input id="new-widget-name" required maxlength="200" value=${name} onInput=${e => setName(e.target.value)} />
      <button type="submit">${w.createButton}</button>
    </form>`}
  </section>`;
}

/** active, paused or switched off, in words and colour. */
export function Status({ t, widget }) {
  return html`<span class=${'widget-status ' + widget.status}>${t.settings.widgets.statuses[widget.status] || widget.status}</span>`;
}
