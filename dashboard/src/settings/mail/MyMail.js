// Settings → my mail: the signed-in member's own notification mails (PATCH /v1/users/{me}: notifications). Viewers
// cannot PATCH (the contract): they see their preferences and are pointed at the unsubscribe links and an admin.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, canWrite } from '../../ui.js';
import { Refused } from '../keys/Refused.js';
import '../keys/settings.css';

const NEW_FEEDBACK = ['off', 'instant', 'daily'];

export function MyMail({ t, me }) {
  const m = t.settings.mail;
  const [prefs, setPrefs] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const writable = canWrite(me);

  useEffect(() => {
    (async () => {
      try {
        const mine = (await api('GET', '/v1/users')).data.find(u => u.id === me.user.id);
        setPrefs(mine?.notifications || me.user.notifications || { new_feedback: 'off', assigned: true, widget_resumed: true });
      } catch (e) { setError(e); }
    })();
  }, []);

  const change = patch => { setSaved(null); setPrefs({ ...prefs, ...patch }); };
  async function save(e) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const { new_feedback, assigned, widget_resumed } = prefs;
      const updated = (await api('PATCH', '/v1/users/' + me.user.id, { notifications: { new_feedback, assigned, widget_resumed } })).data;
      setPrefs(updated.notifications);
      setSaved(m.saved);
    } catch (e) { setError(e); }
  }

  return html`<section class="my-mail">
    <h2>${t.settings.tabs.mail}</h2>
    <p>${m.intro}</p>
    ${!writable && html`<p class="notice" id="mail-viewer">${m.viewer}</p>`}
    <${Refused} error=${error} known=${m.refused} />
    ${prefs && html`<form class="settings-form" onSubmit=${save} aria-describedby=${writable ? undefined : 'mail-viewer'}>
      <label for="mail-new-feedback">${m.newFeedback}</label>
      <select id="mail-new-feedback" disabled=${!writable} value=${prefs.new_feedback} onChange=${e => change({ new_feedback: e.target.value })}>
        ${NEW_FEEDBACK.map(mode => html`<option value=${mode}>${m.newFeedbackModes[mode]}</option>`)}
      </select>
      <label class="check"><input type="checkbox" disabled=${!writable} checked=${prefs.assigned} onChange=${e => change({ assigned: e.target.checked })} /> ${m.assigned}</label>
      <label class="check"><input type="checkbox" disabled=${!writable} checked=${prefs.widget_resumed} onChange=${e => change({ widget_resumed: e.target.checked })} /> ${m.widgetResumed}</label>
      ${writable && html`<button type="submit">${m.save}</button>`}
      <p role="status">${saved}</p>
    </form>`}
  </section>`;
}
