// Processing after the 200 takes at most a few pooled connections per process; later events wait
// their turn in memory (each is already stored, so nothing is lost if the process stops: the retry
// scan finds pending events). Unbounded, a burst had every connection busy processing, and holding
// row locks on busy conversations, while the next webhooks waited for one just to be stored:
// acknowledgements slowed down with the backlog (npm run bench, scenario 1).

export interface Slots {
  /** Runs `task` when a slot is free; false (and `task` never runs) when the waiting line is full. */
  run(task: () => Promise<unknown>): Promise<boolean>;
  readonly running: number;
  readonly waiting: number;
}

export function createSlots(limit: number, maxWaiting: number): Slots {
  let running = 0;
  const line: (() => void)[] = [];
  return {
    async run(task) {
      if (running < limit) running++;
      else if (line.length >= maxWaiting) return false;
      else await new Promise<void>((resolve) => line.push(resolve)); // a finishing task hands its slot over
      try {
        await task();
      } finally {
        const next = line.shift();
        if (next) next();
        else running--;
      }
      return true;
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
