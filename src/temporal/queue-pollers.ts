/**
 * Which workers poll a task queue right now (WorkflowService.DescribeTaskQueue, the `pollers` the Web UI's task
 * queue page shows): how `pam run --external-workers` tells a user that no worker would ever take a stage.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { TaskQueueType } = proto.temporal.api.enums.v1;

/** The identities (`<pid>@<host>`) of the workers polling `taskQueue` for activities or for workflow tasks. */
export async function queuePollers(client: Client, taskQueue: string, kind: 'activity' | 'workflow'): Promise<string[]> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: kind === 'activity' ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return [...new Set((answer.pollers ?? []).map((p) => p.identity ?? '?'))].sort();
}
