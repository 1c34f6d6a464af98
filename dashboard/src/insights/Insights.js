// Insights (to be built: see issue 25).
import { html } from '../ui.js';

/** /app/insights */
export function Insights({ t }) {
  return html`<main><h1>${t.nav.insights}</h1></main>`;
}
