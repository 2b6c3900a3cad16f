/** Writes the ICP sheet into a folder: `icp-sheet.html` (self-contained) and `icp-sheet.md`. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CalibrationResult } from '../../domain/calibration/calibrate.ts';
import { buildIcpSheet, type SheetContext } from './icp-sheet.ts';
import { sheetHtml } from './sheet-html.ts';
import { sheetMarkdown } from './sheet-markdown.ts';

export const SHEET_HTML = 'icp-sheet.html';
export const SHEET_MARKDOWN = 'icp-sheet.md';

export async function writeIcpSheet(dir: string, result: CalibrationResult, ctx: SheetContext): Promise<{ html: string; markdown: string }> {
  const sheet = buildIcpSheet(result, ctx);
  const html = join(dir, SHEET_HTML);
  const markdown = join(dir, SHEET_MARKDOWN);
  await writeFile(html, sheetHtml(sheet), 'utf8');
  await writeFile(markdown, sheetMarkdown(sheet), 'utf8');
  return { html, markdown };
}
