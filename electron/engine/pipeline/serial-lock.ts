/**
 * The one lock: runs tasks one at a time, in call order; a failed task does not block the next. Used where
 * one resource cannot be shared (an IMAP connection's selected folder, EWS folder creation for one name).
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
