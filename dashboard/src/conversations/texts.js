// The conversations view's texts, English and German (the view reads them as t.conversations).
export default {
  en: {},
  de: {},
};
