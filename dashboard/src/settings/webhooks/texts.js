// Settings → webhooks: texts, English and German (the view reads them as t.settings.webhooks).
export default {
  en: {},
  de: {},
};
