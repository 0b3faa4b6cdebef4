/**
 * Full garbage collections between the phases of large runs (internal).
 *
 * V8 lets its old generation grow to a few times what was live at its last
 * full collection before it collects again. A long phase that builds much
 * and keeps half of it (the layout, the model's evaluation) therefore
 * carries its garbage into the next phase, and the process peaks far above
 * what is ever live: `verify --manifests` of 20,000 tenants peaked at about
 * 1.2 GiB with about 560 MiB live. A collection at the end of such a phase
 * frees what it left behind before the next one allocates.
 */
import * as v8 from 'v8';
import * as vm from 'vm';

/** Endpoints from which a verification pays for a full collection between its phases (below, a collection costs more than it saves). */
export const LARGE_RUN_ENDPOINTS = 50_000;
/** Kubernetes objects from which a synth or validate pays for one (20,000 tenants make about 70,000). */
export const LARGE_RUN_OBJECTS = 20_000;

let collector: (() => void) | null | undefined;

/** The runtime's full collection: `gc` when the process exposes it, else exposed for a moment and hidden again; null when neither works. */
function obtainCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    return typeof gc === 'function' ? gc : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Runs a full garbage collection when `size` is at least `largeFrom` (the
 * endpoints of a verification by default); results never depend on it.
 */
export function collectGarbageIfLarge(size: number, largeFrom: number = LARGE_RUN_ENDPOINTS): void {
  if (size < largeFrom) return;
  if (collector === undefined) collector = obtainCollector();
  collector?.();
}
