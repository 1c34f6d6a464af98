// A webhook's delivery log, newest first (GET /v1/webhooks/{id}/deliveries): the event, its status, every attempt
// with the receiver's answer and time, the next attempt; any delivery can be replayed (sent again as a new delivery).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, When } from '../../ui.js';
import { Refused } from '../keys/Refused.js';

const UNDER_WAY = ['pending', 'retrying'];

export function Deliveries({ t, webhookId }) {
  const w = t.settings.webhooks;
  const [deliveries, setDeliveries] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);

  async function load() {
    try { setDeliveries((await api('GET', `/v1/webhooks/${webhookId}/deliveries?limit=50`)).data); } catch (e) { setError(e); }
  }
  useEffect(() => { load(); }, [webhookId]);
  // While a delivery is under way, look again every 5 s — only while the tab is seen (a hidden tab asks nothing; it
  // checks again 5 s later), so a forgotten tab does not spend the key's reads on retries that take an hour.
  useEffect(() => {
    if (!deliveries?.some(d => UNDER_WAY.includes(d.status))) return;
    const timer = setTimeout(() => (document.hidden ? setDeliveries(d => [...d]) : load()), 5000);
    return () => clearTimeout(timer);
  }, [deliveries]);

  async function replay(delivery) {
    setError(null);
    setDone(null);
    try {
      await api('POST', `/v1/webhooks/${webhookId}/deliveries/${delivery.id}/replay`);
      setDone(w.replayed);
      await load();
    } catch (e) { setError(e); }
  }

  return html`<section class="deliveries">
    <h3>${w.deliveries}</h3>
    <button type="button" class="secondary" onClick=${() => { setDone(null); load(); }}>${w.refresh}</button>
    <${Refused} error=${error} known=${w.refused} />
    <p role="status">${done}</p>
    ${deliveries && (deliveries.length === 0 ? html`<p>${w.noDeliveries}</p>` : html`<table class="settings">
      <thead><tr><th>${w.event}</th><th>${w.created}</th><th>${w.status}</th><th>${w.attempts}</th><th>${w.nextAttempt}</th><th><span class="visually-hidden">${w.replay}</span></th></tr></thead>
      <tbody>${deliveries.map(d => html`<tr data-delivery-id=${d.id}>
        <td><code>${d.event_type}</code>${d.replay_of && html`<br /><span class="muted">${w.replayOf}</span>`}</td>
        <td><${When} at=${d.created_at} /></td>
        <td class=${'status-' + d.status}>${w.deliveryStatuses[d.status] || d.status}</td>
        <td>${(d.attempts || []).length > 0 && html`<ol class="attempts">${d.attempts.map(a => html`<li>
          <${When} at=${a.at} />: <strong>${a.status_code ?? (a.error || w.noAnswer)}</strong> (${Math.round(Number(a.duration_ms))} ${w.ms})
        </li>`)}</ol>`}</td>
        <td>${UNDER_WAY.includes(d.status) && d.next_attempt_at ? html`<${When} at=${d.next_attempt_at} />` : '—'}</td>
        <td><button type="button" aria-label=${w.replayLabel(d.event_type, new Date(d.created_at).toLocaleString())} onClick=${() => replay(d)}>${w.replay}</button></td>
      </tr>`)}</tbody>
    </table>`)}
  </section>`;
}
