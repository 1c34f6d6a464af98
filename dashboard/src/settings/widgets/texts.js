// Settings → widgets: texts, English and German (the view reads them as t.settings.widgets).
export default {
  en: {},
  de: {},
};
