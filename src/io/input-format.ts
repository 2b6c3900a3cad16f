/** Which reader an input needs: from `--input-format`, else the file extension, else the first byte. */

export const INPUT_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export function isInputFormat(value: string): value is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(value);
}

const EXTENSIONS: Readonly<Record<string, InputFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format a file name implies (`.csv`, `.json`, `.jsonl`, `.ndjson`, any case), if any. */
export function formatFromPath(path: string): InputFormat | undefined {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || path.lastIndexOf('/') > dot) return undefined;
  return EXTENSIONS[path.slice(dot).toLowerCase()];
}

/**
 * The format the first characters of an input suggest: `[` is a JSON array, `{` is JSON Lines,
 * anything else is CSV (a header row). Used for stdin and unknown extensions.
 */
export function sniffFormat(head: string): InputFormat {
  const m = /^\uFEFF?\s*(\S)/.exec(head);
  if (m?.[1] === '[') return 'json';
  if (m?.[1] === '{') return 'jsonl';
  return 'csv';
}
