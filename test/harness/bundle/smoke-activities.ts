/** Activities of the smoke workflow: the activity side of the harness proof. */
import { activityInfo } from '@temporalio/activity';

/** Returns a greeting that names the task queue the activity ran on. */
export async function describeHost(name: string): Promise<string> {
  return Promise.resolve(`hello ${name} from ${activityInfo().taskQueue}`);
}
