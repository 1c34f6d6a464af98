// What the widget offers: feedback (its kinds, screenshots, recordings, console and network capture), NPS, CSAT,
// surveys, the messenger and announcements.
import { html } from '../../ui.js';

const CSAT_SCALES = [3, 5, 7, 10];

export function ModulesEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const modules = draft.config.modules;
  const at = (...path) => ['config', 'modules', ...path];
  const check = (path, label) => html`<label class="check"><input type="checkbox" checked=${path.reduce((o, k) => o?.[k], modules)}
    onChange=${e => set(at(...path), e.target.checked)} /> ${label}</label>`;
  const types = modules.feedback.item_types;
  return html`<fieldset><legend>${w.modules}</legend>
    <fieldset><legend>${w.feedback}</legend>
      ${check(['feedback', 'enabled'], w.enabled)}
      ${check(['feedback', 'screenshots'], w.screenshots)}
      ${check(['feedback', 'recordings'], w.recordings)}
      ${check(['feedback', 'console_capture'], w.consoleCapture)}
      ${check(['feedback', 'network_capture'], w.networkCapture)}
      <table class="rows"><caption>${w.itemTypes}</caption>
        <thead><tr><th scope="col">${w.itemId}</th><th scope="col">${w.itemLabel}</th><td></td></tr></thead>
        <tbody>${types.map((type, i) => html`<tr>
          <td><input aria-label=${`${w.itemId} ${i + 1}`} maxlength="64" value=${type.id} onInput=${e => set(at('feedback', 'item_types', i, 'id'), e.target.value)} /></td>
          <td><input aria-label=${`${w.itemLabel} ${i + 1}`} maxlength="100" value=${type.label} onInput=${e => set(at('feedback', 'item_types', i, 'label'), e.target.value)} /></td>
          <td><button type="button" class="secondary" aria-label=${`${w.remove}: ${type.label || type.id}`} onClick=${() => set(at('feedback', 'item_types'), types.filter((_, j) => j !== i))}>${w.remove}</button></td>
        </tr>`)}</tbody>
      </table>
      <button type="button" class="secondary" onClick=${() => set(at('feedback', 'item_types'), [...types, { id: '', label: '' }])}>${w.addItemType}</button>
    </fieldset>
    <fieldset><legend>${w.nps}</legend>
      ${check(['nps', 'enabled'], w.enabled)}
      <label for="nps-frequency">${w.npsFrequency}</label>
      <input id="nps-frequency" type="number" min="0" max="3650" value=${modules.nps.frequency_days} onInput=${e => set(at('nps', 'frequency_days'), number(e.target.value))} />
    </fieldset>
    <fieldset><legend>${w.csat}</legend>
      ${check(['csat', 'enabled'], w.enabled)}
      <label for="csat-scale">${w.csatScale}</label>
      <select id="csat-scale" value=${modules.csat.scale_max} onChange=${e => set(at('csat', 'scale_max'), Number(e.target.value))}>
        ${CSAT_SCALES.map(n => html`<option value=${n}>${n}</option>`)}
      </select>
    </fieldset>
    <fieldset class="switches"><legend>${w.surveys}, ${w.messenger}, ${w.announcements}</legend>
      ${check(['surveys', 'enabled'], w.surveys)}
      ${check(['messenger', 'enabled'], w.messenger)}
      ${check(['announcements', 'enabled'], w.announcements)}
    </fieldset>
  </fieldset>`;
}

/** A number field's value as the API wants it: a number, or the text as typed (the API then names the field). */
export const number = text => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
