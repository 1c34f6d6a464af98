// Settings → widgets (to be built: see issue 25).
import { html } from '../../ui.js';

export function Widgets({ t }) {
  return html`<section><h2>${t.settings.tabs.widgets}</h2></section>`;
}
