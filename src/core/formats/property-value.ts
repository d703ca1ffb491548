/** An attribute value as trimmed text; '' for null, undefined and blanks; numbers as JavaScript prints them. */
export function textValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}
