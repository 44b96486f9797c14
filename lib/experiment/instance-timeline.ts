import type { Deployment, InstanceSample, InstanceWatch } from "../platform";
import { platformFor, platformModule } from "../registry";
import { sleep } from "../sleep";
import { JournalWriter, readJournal } from "./store/journal";

/** One sample of an experiment's timeline; `experimentRun` is set when load() joined several runs. */
export type TimelineSample = InstanceSample & { experimentRun?: number };

/** Sample spacing asked of the platform: the "≤ 100 ms resolution". */
export const TIMELINE_INTERVAL_MS = 100;

/** Whether the deployment's platform reports its instances over time (capability "watchInstances"). */
export function canWatchInstances(platform: string): boolean {
  return (
    platformModule(platform).capabilities.includes("watchInstances") &&
    typeof platformFor(platform).watchInstances === "function"
  );
}

/**
 * An experiment's instance timeline: subscribed when the run starts, every sample journaled to
 * instances.jsonl as it arrives (the rows' journal writer: durable within its 20 ms flush interval, so
 * a killed run keeps its timeline) and kept in memory for the result.
 */
export class InstanceTimeline {
  readonly samples: TimelineSample[] = [];
  private watch: InstanceWatch | null = null;
  private journal: JournalWriter | null = null;
  private failure: unknown = null;

  private constructor(readonly watched: boolean) {}

  /**
   * Starts following `deployment`'s instances, written to `file`; a platform without the capability
   * gives a timeline that stays empty and writes nothing.
   */
  static start(deployment: Deployment, file: string): InstanceTimeline {
    if (!canWatchInstances(deployment.platform)) return new InstanceTimeline(false);
    const timeline = new InstanceTimeline(true);
    try {
      timeline.journal = new JournalWriter(file);
    } catch (error) {
      timeline.failure = error; // samples are still kept in memory; stop() reports it
    }
    const platform = platformFor(deployment.platform);
    timeline.watch = (platform.watchInstances as NonNullable<typeof platform.watchInstances>)(
      deployment,
      (sample) => timeline.add(sample),
      { intervalMs: TIMELINE_INTERVAL_MS },
    );
    return timeline;
  }

  /**
   * Keeps watching `seconds` more (the scale-down after the last request), calling `tick` with the
   * milliseconds left about every 250 ms. An abort of `signal` ends it early, without an error.
   */
  async observe(
    seconds: number,
    signal: AbortSignal | undefined,
    tick: (leftMs: number) => void,
  ): Promise<void> {
    if (seconds <= 0 || !this.watched || signal?.aborted) return;
    const end = Date.now() + seconds * 1000;
    try {
      for (let left = end - Date.now(); left > 0; left = end - Date.now()) {
        tick(left);
        await sleep(Math.min(250, left), signal);
      }
    } catch {
      // aborted: the timeline so far is kept
    }
    tick(0);
  }

  /** Ends the subscription and closes the file; throws the first write failure (e.g. a full disk). */
  stop(): void {
    this.watch?.stop();
    this.watch = null;
    try {
      this.journal?.close();
    } catch (error) {
      this.failure ??= error;
    }
    this.journal = null;
    if (this.failure) throw this.failure;
  }

  private add(sample: InstanceSample): void {
    const copy: TimelineSample = { ...sample };
    this.samples.push(copy);
    try {
      this.journal?.append({ ...sample });
    } catch (error) {
      // Kept in memory still; stop() reports it (the rows' own store decides the run's status).
      this.failure ??= error;
    }
  }
}

/** The timeline stored beside a run's rows: empty when its platform reported none. */
export function readTimeline(file: string): { samples: TimelineSample[]; truncatedTail: boolean } {
  const { rows, truncatedTail } = readJournal(file);
  return { samples: rows as unknown as TimelineSample[], truncatedTail };
}
