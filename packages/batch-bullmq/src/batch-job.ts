/** What a job of a distributed batch carries: the item itself and where its result goes. */
export interface BatchJobData<I = unknown> {
  batchId: string;
  /** The item's id within the batch (its input id, or its position). */
  itemKey: string;
  /** Its position in the submitter's input, kept in the stored result. */
  index: number;
  item: I;
}

/** The job name every item gets (BullMQ wants one; workers take them all). */
export const BATCH_JOB_NAME = 'item';
