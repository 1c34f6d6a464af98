// The widget's look: its three colours (a picker and the hex value), where it sits, light or dark.
import { html } from '../../ui.js';

const POSITIONS = ['bottom-right', 'bottom-left', 'inline'];
const MODES = ['light', 'dark', 'auto'];

export function ThemeEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const theme = draft.config.theme;
  const at = name => ['config', 'theme', name];
  return html`<fieldset><legend>${w.theme}</legend>
    <div class="colours">
      <${Colour} id="theme-primary" label=${w.primary} hex=${w.hex} value=${theme.primary_color} onChange=${v => set(at('primary_color'), v)} />
      <${Colour} id="theme-background" label=${w.background} hex=${w.hex} value=${theme.background_color} onChange=${v => set(at('background_color'), v)} />
      <${Colour} id="theme-text" label=${w.text} hex=${w.hex} value=${theme.text_color} onChange=${v => set(at('text_color'), v)} />
    </div>
    <label for="theme-position">${w.position}</label>
    <select id="theme-position" value=${theme.position} onChange=${e => set(at('position'), e.target.value)}>
      ${POSITIONS.map(p => html`<option value=${p}>${w.positions[p]}</option>`)}
    </select>
    <label for="theme-mode">${w.mode}</label>
    <select id="theme-mode" value=${theme.mode} onChange=${e => set(at('mode'), e.target.value)}>
      ${MODES.map(m => html`<option value=${m}>${w.modes[m]}</option>`)}
    </select>
  </fieldset>`;
}

/** A colour as a picker (six hex digits) and as its hex value (#rgb, #rrggbb or #rrggbbaa, as the API takes it). */
function Colour({ id, label, hex, value, onChange }) {
  return html`<div class="colour">
    <label for=${id}>${label}</label>
    <input type="color" id=${id} value=${sixDigits(value)} onInput=${e => onChange(e.target.value)} />
    <input type="text" aria-label=${`${label} (${hex})`} class="hex" size="9" maxlength="9" spellcheck="false" value=${value} onInput=${e => onChange(e.target.value.trim())} />
  </div>`;
}

function sixDigits(colour) {
  if (/^#[0-9a-f]{3}$/i.test(colour)) return '#' + [...colour.slice(1)].map(c => c + c).join('').toLowerCase();
  if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(colour)) return colour.slice(0, 7).toLowerCase();
  return '#000000';
}
