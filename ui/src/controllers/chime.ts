/**
 * Short tones made with Web Audio (no sound files to load): a bright double beep for a new
 * ticket, a rising chime for an order that is ready. Browsers start audio only after a user
 * gesture unless the kiosk browser allows autoplay (`--autoplay-policy=no-user-gesture-required`
 * in the board's Chromium unit); `unlock` is called on the first touch or key.
 */
let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  if (typeof AudioContext === "undefined") return undefined;
  context ??= new AudioContext();
  return context;
}

export function unlockAudio(): void {
  const ctx = audio();
  if (ctx?.state === "suspended") void ctx.resume().catch(() => undefined);
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, volume: number): void {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(start);
  oscillator.stop(start + duration + 0.05);
}

export function playChime(kind: "new-ticket" | "ready"): void {
  const ctx = audio();
  if (!ctx || ctx.state !== "running") return;
  const t = ctx.currentTime + 0.01;
  if (kind === "new-ticket") {
    tone(ctx, 880, t, 0.14, 0.25);
    tone(ctx, 1175, t + 0.18, 0.18, 0.25);
  } else {
    tone(ctx, 660, t, 0.35, 0.22);
    tone(ctx, 880, t + 0.16, 0.35, 0.22);
    tone(ctx, 1320, t + 0.32, 0.6, 0.2);
  }
}
