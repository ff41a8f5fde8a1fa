import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * One `nso up` per data directory: the file holds the owner's pid, created exclusively. A lock left by a
 * process that no longer runs is taken over; a live owner is an Error naming it.
 */
export function acquirePidLock(file: string): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        throw new Error(`another nso (pid ${owner}) is using this data directory; its lock is ${file}`);
      }
      unlinkSync(file);
    }
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
