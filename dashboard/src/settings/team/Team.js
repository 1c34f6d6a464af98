// Settings → team (to be built: see issue 25).
import { html } from '../../ui.js';

export function Team({ t }) {
  return html`<section><h2>${t.settings.tabs.team}</h2></section>`;
}
