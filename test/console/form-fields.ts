/**
 * Reads the fields a browser would send from the model editor's form in a rendered page: inputs
 * (checkboxes only when checked), textareas and selects, with HTML entities decoded. Buttons are
 * left out: a test adds the `op` of the button it "clicks".
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (e) => ENTITIES[e] ?? e);
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? undefined : decode(m[1]);
};

export function formFields(page: string, formId = 'model-form'): Record<string, string> {
  const start = page.indexOf(`id="${formId}"`);
  if (start < 0) throw new Error(`no form ${formId} on the page`);
  const body = page.slice(start, page.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (name === undefined) continue;
    if (attr(tag, 'type') === 'checkbox' && !/\schecked\b/.test(tag)) continue;
    out[name] = attr(tag, 'value') ?? '';
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(m[1] ?? '', 'name');
    if (name !== undefined) out[name] = decode(m[2] ?? '');
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(m[1] ?? '', 'name');
    if (name === undefined) continue;
    const options = [...(m[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
    const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options[0];
    out[name] = chosen === undefined ? '' : (attr(chosen, 'value') ?? '');
  }
  return out;
}

/** The draft text shown in the editor's textarea. */
export function draftText(page: string): string {
  const m = /<textarea id="yaml" name="yaml"[^>]*>([\s\S]*?)<\/textarea>/.exec(page);
  if (m?.[1] === undefined) throw new Error('no model text on the page');
  return decode(m[1]);
}
