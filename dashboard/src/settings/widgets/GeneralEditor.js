// A widget's name, the origins that may use it, and whether it is switched on at all.
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';

export function GeneralEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  // The origins as typed (one a line); the draft gets the non-empty lines.
  const [origins, setOrigins] = useState(draft.allowed_origins.join('\n'));
  return html`<fieldset><legend>${w.general}</legend>
    <label for="widget-name">${w.name}</label>
    <input id="widget-name" required maxlength="200" value=${draft.name} onInput=${e => set(['name'], e.target.value)} />
    <label for="widget-origins">${w.allowedOrigins}</label>
    <textarea id="widget-origins" rows="3" value=${origins}
      onInput=${e => { setOrigins(e.target.value); set(['allowed_origins'], e.target.value.split('\n').map(o => o.trim()).filter(Boolean)); }}></textarea>
    <label class="check"><input type="checkbox" checked=${draft.is_active} onChange=${e => set(['is_active'], e.target.checked)} /> ${w.switchedOn}</label>
  </fieldset>`;
}
