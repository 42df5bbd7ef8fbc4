/**
 * HTML built by one rule: every interpolated value is escaped unless it is already `Html` (built here, or markup
 * this code made itself: an SVG it rendered, a data: URI). So text from a config, a manifest or a log can never
 * open a tag, close an attribute or start a script.
 */

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: text (escaped), numbers, markup, lists of them; null, undefined and false add nothing. */
export type HtmlPart = Html | string | number | boolean | null | undefined | readonly HtmlPart[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(part: HtmlPart): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/** `html\`<td>${value}</td>\``: the template's own text is markup, each value is escaped (or kept, when Html). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlPart[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup this code produced itself (an SVG it rendered); never text read from elsewhere. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
