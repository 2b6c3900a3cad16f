/**
 * Worker thread of `icp-sync score` on a large file: scores the parts the main thread sends
 * (`score-part.ts`) and sends each one's output back, taking back written output buffers for reuse.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPartScorer, reuseOutput, type ScorePart, type ScoreWorkerInit } from './score-part.ts';

if (parentPort !== null) {
  const port = parentPort;
  const score = createPartScorer(workerData as ScoreWorkerInit);
  port.on('message', (message: ScorePart | { spare: ArrayBuffer }) => {
    if ('spare' in message) {
      reuseOutput(message.spare);
      return;
    }
    const scored = score(message);
    port.postMessage(scored, [scored.input, scored.output]);
  });
}
