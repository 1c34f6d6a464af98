// When the widget offers itself (NPS): only when opened, after scrolling so far, or on exit intent; after a delay.
import { html } from '../../ui.js';
import { number } from './ModulesEditor.js';

const TRIGGERS = ['manual', 'scroll-depth', 'exit-intent'];

export function TriggerEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const trigger = draft.config.trigger;
  const at = name => ['config', 'trigger', name];
  return html`<fieldset><legend>${w.trigger}</legend>
    <label for="trigger-type">${w.triggerType}</label>
    <select id="trigger-type" value=${trigger.type} onChange=${e => set(at('type'), e.target.value)}>
      ${TRIGGERS.map(type => html`<option value=${type}>${w.triggers[type]}</option>`)}
    </select>
    ${trigger.type === 'scroll-depth' && html`<label for="trigger-depth">${w.scrollDepth}</label>
      <input id="trigger-depth" type="number" min="1" max="100" value=${trigger.scroll_depth_percent ?? ''} onInput=${e => set(at('scroll_depth_percent'), e.target.value === '' ? null : number(e.target.value))} />`}
    <label for="trigger-delay">${w.delay}</label>
    <input id="trigger-delay" type="number" min="0" max="3600" value=${trigger.delay_seconds} onInput=${e => set(at('delay_seconds'), number(e.target.value))} />
  </fieldset>`;
}
