// The languages the widget speaks and the one it falls back to.
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';

export function LanguagesEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const languages = draft.config.languages;
  // The codes as typed ("en, de"); the draft gets the list.
  const [typed, setTyped] = useState(languages.available.join(', '));
  return html`<fieldset><legend>${w.languages}</legend>
    <label for="languages-available">${w.available}</label>
    <input id="languages-available" value=${typed}
      onInput=${e => { setTyped(e.target.value); set(['config', 'languages', 'available'], e.target.value.split(',').map(c => c.trim()).filter(Boolean)); }} />
    <label for="languages-default">${w.defaultLanguage}</label>
    <select id="languages-default" value=${languages.default} onChange=${e => set(['config', 'languages', 'default'], e.target.value)}>
      ${[...new Set([languages.default, ...languages.available])].map(code => html`<option value=${code}>${code}</option>`)}
    </select>
  </fieldset>`;
}
