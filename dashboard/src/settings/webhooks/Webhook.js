// One webhook endpoint: change its URL, description, events or whether it is on; rotate its secret (shown once);
// delete it; and its deliveries.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Link } from '../../ui.js';
import { EventChoice } from './EventChoice.js';
import { Deliveries } from './Deliveries.js';
import { SecretOnce } from '../keys/SecretOnce.js';
import { Confirm } from '../keys/Confirm.js';
import { Refused } from '../keys/Refused.js';

export function Webhook({ t, go, id }) {
  const w = t.settings.webhooks;
  const [hook, setHook] = useState(null);
  const [form, setForm] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const [secret, setSecret] = useState(null);
  const [confirming, setConfirming] = useState(null); // 'rotate' | 'delete'

  function show(h) { setHook(h); setForm({ url: h.url, description: h.description || '', events: h.events, enabled: h.enabled }); }
  useEffect(() => {
    (async () => { try { show((await api('GET', '/v1/webhooks/' + id)).data); } catch (e) { setError(e); } })();
  }, [id]);

  async function save(e) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      // An emptied description is removed (null), not left as it was.
      const change = { url: form.url, events: form.events, enabled: form.enabled, description: form.description.trim() || null };
      show((await api('PATCH', '/v1/webhooks/' + id, change)).data);
      setSaved(w.saved);
    } catch (e) { setError(e); }
  }
  async function rotate() {
    const rotated = (await api('POST', `/v1/webhooks/${id}/rotate-secret`)).data;
    show(rotated);
    setSecret(rotated.secret);
  }
  async function remove() {
    await api('DELETE', '/v1/webhooks/' + id);
    go('/app/settings/webhooks');
  }

  const back = html`<p><${Link} go=${go} href="/app/settings/webhooks">← ${w.back}<//></p>`;
  if (!hook) return html`<section>${back}<${Refused} error=${error} known=${w.refused} />${!error && html`<p>${t.loading}</p>`}</section>`;
  return html`<section class="webhook">
    ${back}
    <h2>${hook.url}</h2>
    <${Refused} error=${error} known=${w.refused} />
    ${secret && html`<${SecretOnce} t=${t} id="webhook-secret" label=${w.rotated} value=${secret} />`}
    <form class="settings-form" onSubmit=${save}>
      <h3>${w.edit}</h3>
      <label class="check"><input type="checkbox" checked=${form.enabled} onChange=${e => setForm({ ...form, enabled: e.target.checked })} /> ${w.enabled}</label>
      <label for="webhook-edit-url">${w.url}</label>
      <input id="webhook-edit-url" type="url" required maxlength="2048" value=${form.url} onInput=${e => setForm({ ...form, url: e.target.value })} />
      <label for="webhook-edit-description">${w.description}</label>
      <input id="webhook-edit-description" maxlength="500" value=${form.description} onInput=${e => setForm({ ...form, description: e.target.value })} />
      <${EventChoice} t=${t} id="webhook-edit-events" events=${form.events} onChange=${events => setForm({ ...form, events })} />
      <button type="submit">${w.save}</button>
      <p role="status">${saved}</p>
    </form>
    <p>
      <button type="button" class="secondary" onClick=${() => setConfirming('rotate')}>${w.rotate}</button>${' '}
      <button type="button" class="danger" onClick=${() => setConfirming('delete')}>${w.remove}</button>
    </p>
    <${Deliveries} t=${t} webhookId=${id} />
    ${confirming === 'rotate' && html`<${Confirm} t=${t} title=${w.confirmRotate} action=${w.rotate} known=${w.refused} onConfirm=${rotate} onClose=${() => setConfirming(null)}>
      <p>${w.rotateText}</p><//>`}
    ${confirming === 'delete' && html`<${Confirm} t=${t} title=${w.confirmRemove(hook.url)} action=${w.remove} known=${w.refused} onConfirm=${remove} onClose=${() => setConfirming(null)}>
      <p>${w.removeText}</p><//>`}
  </section>`;
}
