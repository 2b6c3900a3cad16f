/**
 * The draft a Model form sends: the model text plus the weights, tier thresholds and version typed
 * in the form fields. A field counts only when it differs from the value the page showed, so an
 * edit made in the text is not undone by a field left as it was. Comments and layout of the text
 * are kept (YAML document API).
 */
import { isMap, isSeq, parseDocument } from 'yaml';

export interface DraftForm {
  yaml: string;
  /** `weight.<criterion id>` → typed value; `weight0.<id>` → value shown. Same for `tier.<name>`. */
  fields: Readonly<Record<string, string>>;
}

export interface Draft {
  yaml: string;
  /** The form fields that changed the text, as `criteria.size.weight`. */
  applied: string[];
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** Sets `key` of the item of the sequence `list` whose `match` field equals `id`. */
function setInList(doc: ReturnType<typeof parseDocument>, list: string, match: string, id: string, key: string, value: number): boolean {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return false;
  for (const item of seq.items) {
    if (isMap(item) && String(item.get(match)) === id) {
      item.set(key, value);
      return true;
    }
  }
  return false;
}

export function applyDraftForm(form: DraftForm): Draft {
  const changed = (name: string) => {
    const typed = form.fields[name];
    return typed !== undefined && typed.trim() !== (form.fields[name.replace(/^(\w+)\./, (_whole, kind: string) => `${kind}0.`)] ?? '').trim() ? typed : undefined;
  };
  const doc = parseDocument(form.yaml);
  // A text that does not parse is returned as is: validation then reports where it breaks.
  if (doc.errors.length > 0) return { yaml: form.yaml, applied: [] };
  const applied: string[] = [];
  for (const name of Object.keys(form.fields)) {
    const [kind, ...rest] = name.split('.');
    const id = rest.join('.');
    const typed = changed(name);
    if (typed === undefined || id === '') continue;
    if (kind === 'weight') {
      const n = numberOf(typed);
      if (n !== undefined && setInList(doc, 'criteria', 'id', id, 'weight', n)) applied.push(`criteria.${id}.weight`);
    } else if (kind === 'tier') {
      const n = numberOf(typed);
      if (n !== undefined && setInList(doc, 'tiers', 'name', id, 'min', n)) applied.push(`tiers.${id}.min`);
    }
  }
  const version = changed('version.model');
  if (version !== undefined && version.trim() !== '') {
    doc.set('version', version.trim());
    applied.push('version');
  }
  return { yaml: applied.length === 0 ? form.yaml : doc.toString(), applied };
}
