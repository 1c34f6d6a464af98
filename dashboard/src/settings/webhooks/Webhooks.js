// Settings → webhooks (to be built: see issue 25).
import { html } from '../../ui.js';

export function Webhooks({ t }) {
  return html`<section><h2>${t.settings.tabs.webhooks}</h2></section>`;
}
