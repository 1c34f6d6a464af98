// Where the widget shows: everywhere, or where all (or any) of a list of rules hold — each an attribute, an
// operator and a value, as the API's targeting engine reads them. Nested groups are kept as they are.
import { html } from '../../ui.js';

const ATTRIBUTES = ['url', 'path', 'referrer', 'lang', 'user_id', 'email'];
const OPERATORS = ['equals', 'not_equals', 'contains', 'starts_with', 'ends_with', 'matches'];

/** The stored rule as { mode: 'everywhere' | 'all' | 'any', rules }; null when it nests groups (not editable here). */
function readRule(targeting) {
  if (!targeting) return { mode: 'everywhere', rules: [] };
  if (targeting.attribute) return { mode: 'all', rules: [condition(targeting)] };
  const mode = targeting.all ? 'all' : 'any';
  const rules = targeting[mode] || [];
  return rules.every(r => r.attribute && !r.all && !r.any) ? { mode, rules: rules.map(condition) } : null;
}
const condition = ({ attribute, operator, value }) => ({ attribute, operator, value });
const writeRule = (mode, rules) => (mode === 'everywhere' ? null : { [mode]: rules });

export function TargetingEditor({ t, draft, set }) {
  const w = t.settings.widgets;
  const read = readRule(draft.config.targeting);
  if (!read) return html`<fieldset><legend>${w.targeting}</legend><p>${w.nested}</p></fieldset>`;
  const { mode, rules } = read;
  const save = (nextMode, nextRules) => set(['config', 'targeting'], writeRule(nextMode, nextRules));
  const change = (i, field, value) => save(mode, rules.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  const blank = { attribute: 'path', operator: 'starts_with', value: '' };
  return html`<fieldset><legend>${w.targeting}</legend>
    <label for="targeting-mode">${w.showWhere}</label>
    <select id="targeting-mode" value=${mode} onChange=${e => save(e.target.value, e.target.value === 'everywhere' ? [] : rules.length ? rules : [blank])}>
      <option value="everywhere">${w.everywhere}</option>
      <option value="all">${w.whereAll}</option>
      <option value="any">${w.whereAny}</option>
    </select>
    ${mode !== 'everywhere' && html`<table class="rows">
      <thead><tr><th scope="col">${w.attribute}</th><th scope="col">${w.operator}</th><th scope="col">${w.value}</th><td></td></tr></thead>
      <tbody>${rules.map((rule, i) => html`<tr>
        <td><input list="targeting-attributes" aria-label=${`${w.rule} ${i + 1}: ${w.attribute}`} value=${rule.attribute} onInput=${e => change(i, 'attribute', e.target.value.trim())} /></td>
        <td><select aria-label=${`${w.rule} ${i + 1}: ${w.operator}`} value=${rule.operator} onChange=${e => change(i, 'operator', e.target.value)}>
          ${OPERATORS.map(op => html`<option value=${op}>${w.operators[op]}</option>`)}
        </select></td>
        <td><input aria-label=${`${w.rule} ${i + 1}: ${w.value}`} maxlength="2048" value=${rule.value} onInput=${e => change(i, 'value', e.target.value)} /></td>
        <td><button type="button" class="secondary" aria-label=${`${w.remove}: ${w.rule} ${i + 1}`}
          onClick=${() => save(rules.length > 1 ? mode : 'everywhere', rules.filter((_, j) => j !== i))}>${w.remove}</button></td>
      </tr>`)}</tbody>
    </table>
    <datalist id="targeting-attributes">${ATTRIBUTES.map(a => html`<option value=${a} />`)}<option value="custom." /></datalist>
    <button type="button" class="secondary" onClick=${() => save(mode, [...rules, blank])}>${w.addRule}</button>`}
  </fieldset>`;
}
