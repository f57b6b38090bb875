/**
 * Escaping for strings taken from logs. Every path, client, user agent, malformed line,
 * file key and error message is untrusted and goes through one of these before rendering.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return stripControl(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Turns tabs into spaces and every other control character (newlines included) into U+FFFD,
 * so a log line cannot smuggle terminal escapes or break a table row.
 */
export function stripControl(value: string): string {
  return value.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
}

/** Shortens a string to `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Renders untrusted text as a Markdown code span, safe inside a GFM table cell: no Markdown or
 * HTML inside it is interpreted, backticks are fenced by a longer run, and pipes are escaped.
 */
export function markdownCode(value: string): string {
  const text = stripControl(value).replace(/\|/g, '\\|');
  if (text === '') return '` `';
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
