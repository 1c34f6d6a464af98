// Settings → webhooks: the endpoints, and adding one (its signing secret shown once); /app/settings/webhooks/{id} is
// one endpoint with its settings and deliveries. Admins only, as the API has it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Link, isAdmin } from '../../ui.js';
import { Webhook } from './Webhook.js';
import { EventChoice } from './EventChoice.js';
import { SecretOnce } from '../keys/SecretOnce.js';
import { Refused } from '../keys/Refused.js';
import '../keys/settings.css';

export function Webhooks({ t, me, go, id }) {
  const w = t.settings.webhooks;
  if (!isAdmin(me)) return html`<section><h2>${t.settings.tabs.webhooks}</h2><p class="notice">${w.adminsOnly(t.settings.team.roles[me.user.role])}</p></section>`;
  if (id) return html`<${Webhook} t=${t} go=${go} id=${id} />`;
  return html`<${WebhookList} t=${t} go=${go} />`;
}

function WebhookList({ t, go }) {
  const w = t.settings.webhooks;
  const [hooks, setHooks] = useState(null);
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);

  async function load() {
    try { setHooks((await api('GET', '/v1/webhooks')).data); } catch (e) { setError(e); }
  }
  useEffect(() => { load(); }, []);

  function added(hook) { setCreated(hook); load(); }

  return html`<section class="webhooks">
    <h2>${t.settings.tabs.webhooks}</h2>
    <p>${w.intro}</p>
    <${Refused} error=${error} known=${w.refused} />
    ${created && html`<${SecretOnce} t=${t} id="webhook-secret" label=${w.created_} value=${created.secret}>
      <p><${Link} go=${go} href=${'/app/settings/webhooks/' + created.id}>${created.url}<//></p>
    <//>`}
    ${hooks && (hooks.length === 0 ? html`<p>${w.none}</p>` : html`<table class="settings">
      <thead><tr><th>${w.url}</th><th>${w.description}</th><th>${w.events}</th><th>${w.enabled}</th></tr></thead>
      <tbody>${hooks.map(h => html`<tr>
        <td><${Link} go=${go} href=${'/app/settings/webhooks/' + h.id}>${h.url}<//></td>
        <td>${h.description}</td>
        <td>${h.events.map(e => html`<code>${e}</code> `)}</td>
        <td>${h.enabled ? w.on : w.off}</td>
      </tr>`)}</tbody>
    </table>`)}
    <${CreateWebhookForm} t=${t} onCreated=${added} />
  </section>`;
}

function CreateWebhookForm({ t, onCreated }) {
  const w = t.settings.webhooks;
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState(['feedback.created']);
  const [error, setError] = useState(null);

  async function submit(e) {
    e.preventDefault();
    setError(null);
    try {
      const hook = (await api('POST', '/v1/webhooks', description.trim() ? { url, events, description: description.trim() } : { url, events })).data;
      setUrl('');
      setDescription('');
      onCreated(hook);
    } catch (e) { setError(e); }
  }
  return html`<form class="settings-form" onSubmit=${submit}>
    <h3>${w.create.title}</h3>
    <label for="webhook-url">${w.url}</label>
    <input id="webhook-url" type="url" required maxlength="2048" placeholder="https://" value=${url} onInput=${e => setUrl(e.target.value)} />
    <label for="webhook-description">${w.description}</label>
    <input id="webhook-description" maxlength="500" value=${description} onInput=${e => setDescription(e.target.value)} />
    <${EventChoice} t=${t} id="webhook-new-events" events=${events} onChange=${setEvents} />
    <${Refused} error=${error} known=${w.refused} />
    <button type="submit">${w.create.submit}</button>
  </form>`;
}
