// Settings → keys: texts, English and German (the view reads them as t.settings.keys).
export default {
  en: {},
  de: {},
};
