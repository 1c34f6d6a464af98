// The insights view's texts, English and German (the view reads them as t.insights).
export default {
  en: {},
  de: {},
};
