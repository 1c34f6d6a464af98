// The widget's own wording per language and text key (anything not set here is the widget's built-in English).
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';

/** The keys the widget reads most (it knows more; any key may be typed). */
const KNOWN_KEYS = ['launcher', 'title', 'home_title', 'home_subtitle', 'feedback_tile', 'feedback_tile_hint', 'chat_tile', 'chat_tile_hint',
  'survey_tile', 'news_tile', 'nps_tile', 'type_label', 'title_label', 'title_placeholder', 'description_label', 'description_placeholder',
  'email_label', 'submit', 'thanks_title', 'thanks', 'nps_question', 'csat_question', 'chat_welcome', 'error_paused', 'powered'];

export function TextsEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const { texts, languages } = draft.config;
  const [language, setLanguage] = useState(languages.default);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const shown = languages.available.includes(language) ? language : languages.default;
  const own = texts[shown] || {};
  const at = name => ['config', 'texts', shown, name];
  const remove = name => set(['config', 'texts', shown], Object.fromEntries(Object.entries(own).filter(([k]) => k !== name)));
  function add() {
    if (!key.trim()) return;
    set(at(key.trim()), value);
    setKey('');
    setValue('');
  }
  return html`<fieldset><legend>${w.texts}</legend>
    <label for="texts-language">${w.textsFor}</label>
    <select id="texts-language" value=${shown} onChange=${e => setLanguage(e.target.value)}>
      ${languages.available.map(code => html`<option value=${code}>${code}</option>`)}
    </select>
    ${Object.keys(own).length === 0 ? html`<p>${w.noTexts}</p>` : html`<table class="rows">
      <thead><tr><th scope="col">${w.textKey}</th><th scope="col">${w.textValue}</th><td></td></tr></thead>
      <tbody>${Object.entries(own).map(([name, text]) => html`<tr>
        <th scope="row"><label for=${'text-' + name}><code>${name}</code></label></th>
        <td><input id=${'text-' + name} value=${text} onInput=${e => set(at(name), e.target.value)} /></td>
        <td><button type="button" class="secondary" aria-label=${`${w.remove}: ${name}`} onClick=${() => remove(name)}>${w.remove}</button></td>
      </tr>`)}</tbody>
    </table>`}
    <div class="add-text">
      <label>${w.textKey} <input list="text-keys" value=${key} onInput=${e => setKey(e.target.value)} /></label>
      <datalist id="text-keys">${KNOWN_KEYS.filter(k => !(k in own)).map(k => html`<option value=${k} />`)}</datalist>
      <label>${w.textValue} <input value=${value} onInput=${e => setValue(e.target.value)} /></label>
      <button type="button" class="secondary" onClick=${add}>${w.addText}</button>
    </div>
  </fieldset>`;
}
