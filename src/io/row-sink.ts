import type { Attributes } from '../domain/types.ts';

/** Where the readers send the rows of an input file, already keyed by attribute name. */
export interface RowSink {
  /** A row to score: its id (never empty), its attributes, the 1-based line on which it starts. */
  row(id: string, attrs: Attributes, line: number): void;
  /** A row that cannot be scored; it is skipped and the run goes on. */
  skip(line: number, message: string): void;
  /** Something worth telling once about the input as a whole (e.g. a model attribute with no column). */
  note(message: string): void;
}

/** The streaming interface every reader offers. */
export interface ChunkReader {
  feed(chunk: string): void;
  end(): void;
}
