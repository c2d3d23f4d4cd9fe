import type { LabWorld } from './world.ts';

export type Speed = 1 | 10 | 100;

/**
 * Drives a lab world in real time: each frame advances virtual time by the real time elapsed × speed.
 * Pausing stops it; stepping and skipping move the world at once. The frame source is injected
 * (requestAnimationFrame in the page, a manual pump in tests).
 */
export class LabClock {
  private speed: Speed = 1;
  private paused = false;
  private last: number | null = null;
  private readonly world: LabWorld;
  private readonly onChange: () => void;

  constructor(world: LabWorld, onChange: () => void) {
    this.world = world;
    this.onChange = onChange;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get currentSpeed(): Speed {
    return this.speed;
  }

  /** Called on every animation frame with the real time in milliseconds. */
  frame(realMs: number): void {
    if (this.last === null || this.paused) {
      this.last = realMs;
      return;
    }
    // A long pause of the tab (background) does not become a huge jump: at most 250 ms of real time.
    const elapsed = Math.min(250, Math.max(0, realMs - this.last));
    this.last = realMs;
    if (elapsed === 0) return;
    this.world.advanceBy(Math.round(elapsed * 1000 * this.speed));
    this.onChange();
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.onChange();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.last = null;
    this.onChange();
  }

  /** Runs until the next segment is sent. */
  stepSegment(): boolean {
    const moved = this.world.stepToNextSegment();
    this.onChange();
    return moved;
  }

  skip(us: number): void {
    this.world.advanceBy(us);
    this.onChange();
  }
}

/** "12.345678 s" → the lab's clock display. */
export function formatClock(us: number): string {
  const s = us / 1e6;
  return s < 100 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`;
}
