// What the API refused, explained in the reader's language where the refusal is one this view expects (by its code),
// else in the API's own words; the fields it names either way.
import { html, Problem } from '../../ui.js';

export function Refused({ error, known = {} }) {
  if (!error) return null;
  const explained = known[error.code];
  return html`<${Problem} error=${explained ? { message: explained, details: error.details } : error} />`;
}
