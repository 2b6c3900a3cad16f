/**
 * Output field names a connector is built with: fixed, or read through a getter when the field
 * mappings can change while the process runs (a save on the console's Mappings page reaches every
 * process without a restart). The fields built from them are rebuilt only when the names change.
 */
import type { OutputKey } from './port.ts';

export type OutputNames = Partial<Record<OutputKey, string>>;

/** The names, or a getter read each time the connector needs them (it must return the same object while they do not change). */
export type OutputNamesSource<T = OutputNames> = T | (() => T | undefined);

export function namesNow<T extends object>(source: OutputNamesSource<T> | undefined): T | undefined {
  return typeof source === 'function' ? (source as () => T | undefined)() : source;
}

/** `build(inputs())` again only when one of `inputs()` is another object than last time. */
export function rebuiltOnChange<I extends readonly unknown[], R>(inputs: () => I, build: (inputs: I) => R): () => R {
  let last: { inputs: I; value: R } | undefined;
  return () => {
    const now = inputs();
    if (last === undefined || now.length !== last.inputs.length || now.some((v, i) => v !== last?.inputs[i])) last = { inputs: now, value: build(now) };
    return last.value;
  };
}
