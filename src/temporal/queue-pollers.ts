/**
 * Which workers poll a task queue right now (WorkflowService.DescribeTaskQueue, the `pollers` the Web UI's task
 * queue page shows): how `pam run --external-workers` tells a user that no worker would ever take a stage.
 */
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';

const { TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * A worker renews its long poll at least every 70 s (the server answers an empty poll after about a minute), while
 * the server lists a poller for minutes after it was last seen: one not seen for longer has most likely stopped.
 */
const LIVE_POLLER_MS = 90_000;

/** The identities (`<pid>@<host>`) of the workers polling `taskQueue` for activities or for workflow tasks. */
export async function queuePollers(client: Client, taskQueue: string, kind: 'activity' | 'workflow'): Promise<string[]> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: kind === 'activity' ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const live = (answer.pollers ?? []).filter((p) => Date.now() - tsToMs(p.lastAccessTime) < LIVE_POLLER_MS);
  return [...new Set(live.map((p) => p.identity ?? '?'))].sort();
}
