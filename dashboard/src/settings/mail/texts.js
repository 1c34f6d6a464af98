// Settings → mail: texts, English and German (the view reads them as t.settings.mail).
export default {
  en: {},
  de: {},
};
