/**
 * One queue per function (workspace + name): its deploys and removes run one at a time, in the order
 * they were asked for, so a remove() never interleaves with a deploy that reads the state it deletes.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withNameLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(task);
  tails.set(key, run);
  try {
    return await run;
  } finally {
    if (tails.get(key) === run) tails.delete(key);
  }
}
