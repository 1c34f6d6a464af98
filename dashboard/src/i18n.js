// English and German, chosen from the browser and switchable (kept in localStorage). The shell's and the inbox's
// texts are here; each view folder keeps its own (texts.js), found under its name: t.conversations, t.insights, …
import conversations from './conversations/texts.js';
import insights from './insights/texts.js';
import settings from './settings/texts.js';
import join from './signin/texts.js';

const texts = {
  en: {
    title: 'Trackelio', signInTitle: 'Sign in', confirmAs: (who, workspace) => `This link signs you in to the Trackelio dashboard as ${who}, in the workspace ${workspace}.`,
    notYou: 'Not you? Close this page: a link someone else sent you would sign you in as them.',
    checkAgain: 'Check the link again', email: 'Your e-mail address', sendLink: 'Mail me a sign-in link',
    linkSent: 'If that address belongs to a team member, a sign-in link is on its way. It works once, for 15 minutes.',
    mailOff: 'Mail is off on this server: sign in with an API key instead.',
    orKey: 'Or paste an API key', key: 'API key (sk_live_…)', useKey: 'Sign in with the key', signingIn: 'Signing in…',
    signOut: 'Sign out', inbox: 'Inbox', status: 'Status', type: 'Type', all: 'All', created: 'Received', titleCol: 'Feedback',
    assignee: 'Assignee', nobody: 'Nobody', noFeedback: 'No feedback matches.', more: 'Older', back: 'Back to the inbox',
    page: 'Page', browser: 'Browser', viewport: 'Viewport', element: 'Marked element', screenshot: 'Screenshot',
    console: 'Console', network: 'Network', audit: 'History', notes: 'Notes', addNote: 'Add a note', save: 'Save',
    readOnly: 'You can read but not change: your role is viewer.', language: 'Language', loading: 'Loading…',
    nav: { inbox: 'Inbox', conversations: 'Conversations', insights: 'Insights', settings: 'Settings' }, mainNav: 'Sections',
    widget: 'Widget', anyone: 'Anyone', me: 'Me', from: 'From', to: 'To', clearFilters: 'Clear filters',
    types: { bug: 'Bug', idea: 'Idea', question: 'Question' },
    recording: 'Screen recording', missingAttachments: n => `${n} attachment${n === 1 ? '' : 's'} did not arrive.`, noNotes: 'No notes yet.', visitor: 'Visitor',
    actions: { created: 'Received', status_changed: 'Status', assigned: 'Assignee', note_added: 'Added a note', deleted: 'Deleted' },
    level: 'Level', contains: 'Contains', time: 'Time', message: 'Message', noEntries: 'No entries match.',
    outcome: 'Outcome', outcomes: { failed: 'Failed (no answer or 4xx/5xx)', server: 'Server errors (5xx)', client: 'Client errors (4xx)', ok: 'Succeeded' },
    slowestFirst: 'Slowest first', statusCode: 'Status code', method: 'Method', url: 'Address', duration: 'Time taken',
    statuses: { new: 'New', pending: 'Pending', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed' },
  },
  de: {
    title: 'Trackelio', signInTitle: 'Anmelden', confirmAs: (who, workspace) => `Dieser Link meldet Sie im Trackelio-Dashboard als ${who} an, im Arbeitsbereich ${workspace}.`,
    notYou: 'Nicht Sie? Schließen Sie diese Seite: Ein Link, den Ihnen jemand anderes geschickt hat, würde Sie als diese Person anmelden.',
    checkAgain: 'Link erneut prüfen', email: 'Ihre E-Mail-Adresse', sendLink: 'Anmeldelink senden',
    linkSent: 'Falls die Adresse zu einem Teammitglied gehört, ist ein Anmeldelink unterwegs. Er funktioniert einmal, 15 Minuten lang.',
    mailOff: 'E-Mail ist auf diesem Server aus: Melden Sie sich mit einem API-Schlüssel an.',
    orKey: 'Oder API-Schlüssel einfügen', key: 'API-Schlüssel (sk_live_…)', useKey: 'Mit Schlüssel anmelden', signingIn: 'Anmeldung…',
    signOut: 'Abmelden', inbox: 'Posteingang', status: 'Status', type: 'Art', all: 'Alle', created: 'Eingang', titleCol: 'Feedback',
    assignee: 'Zuständig', nobody: 'Niemand', noFeedback: 'Kein passendes Feedback.', more: 'Ältere', back: 'Zurück zum Posteingang',
    page: 'Seite', browser: 'Browser', viewport: 'Fenster', element: 'Markiertes Element', screenshot: 'Bildschirmfoto',
    console: 'Konsole', network: 'Netzwerk', audit: 'Verlauf', notes: 'Notizen', addNote: 'Notiz hinzufügen', save: 'Speichern',
    readOnly: 'Sie können lesen, aber nichts ändern: Ihre Rolle ist Leser.', language: 'Sprache', loading: 'Lädt…',
    nav: { inbox: 'Posteingang', conversations: 'Unterhaltungen', insights: 'Auswertungen', settings: 'Einstellungen' }, mainNav: 'Bereiche',
    widget: 'Widget', anyone: 'Alle', me: 'Ich', from: 'Von', to: 'Bis', clearFilters: 'Filter zurücksetzen',
    types: { bug: 'Fehler', idea: 'Idee', question: 'Frage' },
    recording: 'Bildschirmaufnahme', missingAttachments: n => `${n} ${n === 1 ? 'Anhang ist' : 'Anhänge sind'} nicht angekommen.`, noNotes: 'Noch keine Notizen.', visitor: 'Besucher',
    actions: { created: 'Eingegangen', status_changed: 'Status', assigned: 'Zuständig', note_added: 'Notiz hinzugefügt', deleted: 'Gelöscht' },
    level: 'Stufe', contains: 'Enthält', time: 'Zeit', message: 'Meldung', noEntries: 'Keine passenden Einträge.',
    outcome: 'Ergebnis', outcomes: { failed: 'Fehlgeschlagen (keine Antwort oder 4xx/5xx)', server: 'Serverfehler (5xx)', client: 'Clientfehler (4xx)', ok: 'Erfolgreich' },
    slowestFirst: 'Langsamste zuerst', statusCode: 'Statuscode', method: 'Methode', url: 'Adresse', duration: 'Dauer',
    statuses: { new: 'Neu', pending: 'Wartend', in_progress: 'In Arbeit', resolved: 'Gelöst', closed: 'Geschlossen' },
  },
};

export const languages = Object.keys(texts);

export function initialLanguage() {
  const saved = localStorage.getItem('trackelio.language');
  if (saved && texts[saved]) return saved;
  return (navigator.languages || [navigator.language]).map(l => (l || '').slice(0, 2)).find(l => texts[l]) || 'en';
}

export function textsFor(language) {
  const lang = texts[language] ? language : 'en';
  return { ...texts[lang], conversations: conversations[lang], insights: insights[lang], settings: settings[lang], join: join[lang] };
}
