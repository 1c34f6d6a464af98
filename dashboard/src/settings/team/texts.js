// Settings → team: texts, English and German (the view reads them as t.settings.team).
export default {
  en: {},
  de: {},
};
