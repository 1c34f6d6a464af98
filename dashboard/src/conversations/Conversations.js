// Conversations (to be built: see issue 25).
import { html } from '../ui.js';

/** /app/conversations[/{id}] */
export function Conversations({ t }) {
  return html`<main><h1>${t.nav.conversations}</h1></main>`;
}
