// Settings → keys (to be built: see issue 25).
import { html } from '../../ui.js';

export function ApiKeys({ t }) {
  return html`<section><h2>${t.settings.tabs.keys}</h2></section>`;
}
