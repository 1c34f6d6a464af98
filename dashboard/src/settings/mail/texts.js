// Settings → mail: texts, English and German (the view reads them as t.settings.mail).
export default {
  en: {
    intro: 'Which mails Trackelio sends you, in this workspace.',
    newFeedback: 'New feedback', newFeedbackModes: { off: 'Off', instant: 'At once, for each', daily: 'A daily digest' },
    assigned: 'When feedback is assigned to me', widgetResumed: 'When a paused widget is resumed', save: 'Save',
    saved: 'Saved.',
    viewer: 'Viewers cannot change anything through the API, their own mail preferences included. To stop a kind of mail, use the unsubscribe link at the foot of that mail; for anything else, ask an admin of the workspace, who can set them under Settings → Team.',
    refused: { insufficient_role: 'Viewers cannot change their mail preferences here: use the unsubscribe link in a mail, or ask an admin.' },
  },
  de: {
    intro: 'Welche E-Mails Trackelio Ihnen in diesem Arbeitsbereich sendet.',
    newFeedback: 'Neues Feedback', newFeedbackModes: { off: 'Aus', instant: 'Sofort, für jedes', daily: 'Eine tägliche Zusammenfassung' },
    assigned: 'Wenn mir Feedback zugewiesen wird', widgetResumed: 'Wenn ein pausiertes Widget fortgesetzt wird', save: 'Speichern',
    saved: 'Gespeichert.',
    viewer: 'Leser können über die API nichts ändern, auch nicht ihre eigenen E-Mail-Einstellungen. Um eine Art von E-Mail abzubestellen, nutzen Sie den Abmeldelink am Ende dieser E-Mail; für alles andere fragen Sie einen Admin des Arbeitsbereichs, der sie unter Einstellungen → Team einstellen kann.',
    refused: { insufficient_role: 'Leser können ihre E-Mail-Einstellungen hier nicht ändern: Nutzen Sie den Abmeldelink in einer E-Mail oder fragen Sie einen Admin.' },
  },
};
