// Settings → team: an admin sets a member's notification mails (PATCH /v1/users/{id} with `notifications`), as
// docs/decisions.md has it for viewers, who cannot change their own. The heading takes the focus when it opens.
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../../api.js';
import { html } from '../../ui.js';
import { MailForm, DEFAULT_MAIL } from '../mail/MailForm.js';

export function MemberMail({ t, member, who, onSaved, onClose }) {
  const tm = t.settings.team.mail;
  const heading = useRef(null);
  useEffect(() => { heading.current?.focus(); }, []);

  async function save(notifications) {
    const updated = (await api('PATCH', '/v1/users/' + member.id, { notifications })).data;
    onSaved(updated);
    return updated.notifications;
  }

  return html`<section class="member-mail" aria-labelledby="member-mail-title">
    <h3 id="member-mail-title" tabindex="-1" ref=${heading}>${tm.title(who)}</h3>
    <p>${member.status === 'pending' ? tm.pending : tm.intro}</p>
    <${MailForm} t=${t} idPrefix="member-mail" initial=${member.notifications || DEFAULT_MAIL} writable=${true}
      known=${t.settings.team.refused} labels=${{ assigned: tm.assigned, widgetResumed: tm.widgetResumed, saved: tm.saved(who) }} onSave=${save} />
    <button type="button" class="secondary" onClick=${onClose}>${tm.close}</button>
  </section>`;
}
