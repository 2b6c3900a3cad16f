/**
 * Finds, reads and validates the ICP model file (PRODUCT.md §2). The only part of the model
 * handling that touches the file system; parsing and validation live in `src/domain`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelText } from '../domain/model-schema.ts';
import { compileModel, type Scorer } from '../domain/scorer.ts';
import type { IcpModel } from '../domain/types.ts';
import { ConfigError } from '../errors.ts';

/** The model a checkout uses until RevOps writes its own `config/icp.yaml`. */
export const EXAMPLE_MODEL_PATH = 'config/icp.example.yaml';
export const DEFAULT_MODEL_PATH = 'config/icp.yaml';
/** The shipped example, found beside the installed package whatever the working directory. */
export const SHIPPED_EXAMPLE_MODEL = fileURLToPath(new URL(`../../${EXAMPLE_MODEL_PATH}`, import.meta.url));

function nonBlank(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

/**
 * Which model file to use: `explicit` (e.g. `--model`), else `ICP_MODEL_PATH`, else
 * `config/icp.yaml` when it exists in the working directory (a RevOps checkout), else the example
 * shipped with the package (found from the package, so a command run from any directory works).
 * Relative paths given explicitly are relative to the working directory.
 */
export function resolveModelPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return (
    nonBlank(explicit) ??
    nonBlank(env['ICP_MODEL_PATH']) ??
    (existsSync(DEFAULT_MODEL_PATH) ? DEFAULT_MODEL_PATH : SHIPPED_EXAMPLE_MODEL)
  );
}

function readProblem(file: string, fullPath: string, err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code === 'ENOENT') return `${file}: cannot read file: no such file at ${fullPath}`;
  if (code === 'EISDIR') return `${file}: cannot read file: ${fullPath} is a directory`;
  if (code === 'EACCES') return `${file}: cannot read file: permission denied on ${fullPath}`;
  return `${file}: cannot read file: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Reads and validates the model, and compiles its scorer.
 * @param path the model file; `resolveModelPath()` when omitted.
 * @throws ConfigError with one `file: path: what is wrong` line per problem.
 */
export async function loadModel(path?: string): Promise<{ model: IcpModel; path: string; scorer: Scorer; text: string }> {
  const fullPath = resolve(path ?? resolveModelPath());
  const file = basename(fullPath);
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (err) {
    throw new ConfigError([readProblem(file, fullPath, err)]);
  }
  text = text.replace(/^\uFEFF/, '');
  const parsed = parseModelText(text, file);
  if (!parsed.ok) {
    throw new ConfigError(parsed.problems, `invalid ICP model ${fullPath}:\n${parsed.problems.join('\n')}`);
  }
  // The text too: it is what the model history keeps (src/model-store/).
  return { model: parsed.model, path: fullPath, scorer: compileModel(parsed.model), text };
}
