// A member's notification mails as a form (new feedback off / instant / daily; assigned; widget resumed), saved with
// `onSave(notifications)` (PATCH /v1/users/{id} with the nested `notifications` object), which answers the stored ones.
// My mail uses it for the member's own; Team for an admin setting another member's (viewers cannot save their own).
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';
import { Refused } from '../keys/Refused.js';

const NEW_FEEDBACK = ['off', 'instant', 'daily'];

/** `labels`: { assigned, widgetResumed, saved } for whose mail it is; `idPrefix` keeps two forms' ids apart. */
export function MailForm({ t, idPrefix, initial, writable, labels, known, describedBy, onSave }) {
  const m = t.settings.mail;
  const [prefs, setPrefs] = useState(initial);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);

  const change = patch => { setSaved(null); setPrefs({ ...prefs, ...patch }); };
  async function save(e) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const { new_feedback, assigned, widget_resumed } = prefs;
      setPrefs(await onSave({ new_feedback, assigned, widget_resumed }));
      setSaved(labels.saved);
    } catch (e) { setError(e); }
  }

  return html`<form class="settings-form" onSubmit=${save} aria-describedby=${describedBy}>
    <label for=${idPrefix + '-new-feedback'}>${m.newFeedback}</label>
    <select id=${idPrefix + '-new-feedback'} disabled=${!writable} value=${prefs.new_feedback} onChange=${e => change({ new_feedback: e.target.value })}>
      ${NEW_FEEDBACK.map(mode => html`<option value=${mode}>${m.newFeedbackModes[mode]}</option>`)}
    </select>
    <label class="check"><input type="checkbox" disabled=${!writable} checked=${prefs.assigned} onChange=${e => change({ assigned: e.target.checked })} /> ${labels.assigned}</label>
    <label class="check"><input type="checkbox" disabled=${!writable} checked=${prefs.widget_resumed} onChange=${e => change({ widget_resumed: e.target.checked })} /> ${labels.widgetResumed}</label>
    <${Refused} error=${error} known=${known} />
    ${writable && html`<button type="submit">${m.save}</button>`}
    <p role="status">${saved}</p>
  </form>`;
}

/** What a member's preferences are when the API shows none (the defaults of a new member). */
export const DEFAULT_MAIL = { new_feedback: 'off', assigned: true, widget_resumed: true };
