// Settings → mail (to be built: see issue 25).
import { html } from '../../ui.js';

export function MyMail({ t }) {
  return html`<section><h2>${t.settings.tabs.mail}</h2></section>`;
}
