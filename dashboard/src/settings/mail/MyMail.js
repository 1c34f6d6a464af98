// Settings → my mail: the signed-in member's own notification mails (PATCH /v1/users/{me}: notifications). Viewers
// cannot PATCH (the contract): they see their preferences and are pointed at the unsubscribe links and an admin, who
// can set them under Team.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, canWrite } from '../../ui.js';
import { Refused } from '../keys/Refused.js';
import { MailForm, DEFAULT_MAIL } from './MailForm.js';
import '../keys/settings.css';

export function MyMail({ t, me }) {
  const m = t.settings.mail;
  const [prefs, setPrefs] = useState(null);
  const [error, setError] = useState(null);
  const writable = canWrite(me);

  useEffect(() => {
    (async () => {
      try {
        const mine = (await api('GET', '/v1/users')).data.find(u => u.id === me.user.id);
        setPrefs(mine?.notifications || me.user.notifications || DEFAULT_MAIL);
      } catch (e) { setError(e); }
    })();
  }, []);

  async function save(notifications) {
    return (await api('PATCH', '/v1/users/' + me.user.id, { notifications })).data.notifications;
  }

  return html`<section class="my-mail">
    <h2>${t.settings.tabs.mail}</h2>
    <p>${m.intro}</p>
    ${!writable && html`<p class="notice" id="mail-viewer">${m.viewer}</p>`}
    <${Refused} error=${error} known=${m.refused} />
    ${prefs && html`<${MailForm} t=${t} idPrefix="mail" initial=${prefs} writable=${writable} known=${m.refused}
      labels=${{ assigned: m.assigned, widgetResumed: m.widgetResumed, saved: m.saved }}
      describedBy=${writable ? undefined : 'mail-viewer'} onSave=${save} />`}
  </section>`;
}
