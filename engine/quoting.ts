/** Longest value an error message quotes in full. */
export const QUOTE_LIMIT = 100;
/** Longest unquoted run without a space kept whole (paths are long; names are quoted). */
const RUN_LIMIT = 256;

/** A value as an error may show it: whole if short, else its start and its length. */
export function shortValue(value: string, limit = QUOTE_LIMIT): string {
  // Already shortened (a message passed through twice): keep the length it names.
  if (value.length <= limit + 40 && /…\([\d,]+ chars\)$/.test(value)) return value;
  return value.length <= limit ? value : `${value.slice(0, limit)}…(${value.length.toLocaleString('en-US')} chars)`;
}

/**
 * An error message with every quoted value ('…' or "…") longer than the limit, and every unbroken
 * run of characters longer than 256, cut short, so a 10 MB queue name gives a one-line error, not a 10 MB one.
 * Applied where error messages are built (EngineError, the CLI's usage errors, scenario errors).
 */
export function truncateQuoted(message: string, limit = QUOTE_LIMIT): string {
  if (message.length <= Math.min(limit, RUN_LIMIT)) return message;
  return message.replace(/'([^'\n]*)'|"([^"\n]*)"|\S+/g, (whole, single: string | undefined, double: string | undefined) => {
    if (single !== undefined) return single.length > limit ? `'${shortValue(single, limit)}'` : whole;
    if (double !== undefined) return double.length > limit ? `"${shortValue(double, limit)}"` : whole;
    return shortValue(whole, Math.max(limit, RUN_LIMIT));
  });
}
