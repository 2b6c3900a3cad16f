/**
 * How much work a CRM still has in hand, from the pipeline status: ids waiting for their debounce
 * window and batch jobs queued or running. Zero twice in a row means the cascades have settled.
 */
import type { PipelineStatus } from './runtime-types.ts';

export function changesInFlight(st: PipelineStatus, crm: string, options: { delayed: boolean }): number {
  const pending = st.objects.filter((o) => o.crm === crm).reduce((n, o) => n + o.pending, 0);
  const queued = st.queues
    .filter((q) => q.queue === `batches-${crm}`)
    .reduce((n, q) => n + q.waiting + q.active + q.prioritized + (options.delayed ? q.delayed : 0), 0);
  return pending + queued;
}
