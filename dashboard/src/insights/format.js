// How the figures read, with Intl in the chosen language: counts, ratings, shares, hours, NPS, and a bucket's days.

/** The formatters of one language; each takes a number or null (null reads as a dash). */
export function formats(locale) {
  const number = options => {
    const format = new Intl.NumberFormat(locale, options);
    return value => (value == null ? '—' : format.format(value));
  };
  return {
    count: number({ maximumFractionDigits: 0 }),
    rating: number({ maximumFractionDigits: 2 }),
    share: number({ style: 'percent', maximumFractionDigits: 1 }),
    hours: number({ style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 }),
    nps: number({ maximumFractionDigits: 1 }),
  };
}

/** A bucket's days as the table says them ("Dec 1 – 7, 2026", "1.–7. Dez. 2026"; one day: "Dec 1, 2026"): the API's buckets are UTC days, `to` excluded. */
export function bucketDays(locale, bucket) {
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(new Date(bucket.from), new Date(new Date(bucket.to).getTime() - 1));
}

/** A bucket as the chart's axis says it: the day, the week's first day, or the month. */
export function bucketLabel(locale, bucket, groupBy) {
  const options = groupBy === 'month' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(bucket.from));
}
