// Which events an endpoint gets: each event type the API knows (Webhooks/WebhookModels.cs), or "*" for all.
import { html } from '../../ui.js';

export const EVENTS = ['feedback.created', 'feedback.updated', 'response.created', 'conversation.started', 'conversation.ended',
  'message.created', 'widget.paused', 'widget.resumed'];

export function EventChoice({ t, id, events, onChange }) {
  const w = t.settings.webhooks;
  const all = events.includes('*');
  const toggle = (name, on) => onChange(on ? [...events.filter(e => e !== name), name] : events.filter(e => e !== name));
  return html`<fieldset>
    <legend>${w.events}</legend>
    <label><input type="checkbox" id=${id + '-all'} checked=${all} onChange=${e => onChange(e.target.checked ? ['*'] : [])} /> ${w.allEvents}</label>
    ${EVENTS.map(name => html`<label><input type="checkbox" value=${name} disabled=${all} checked=${all || events.includes(name)}
      onChange=${e => toggle(name, e.target.checked)} /> ${w.eventNames[name]} <code>${name}</code></label>`)}
  </fieldset>`;
}
