/**
 * Typed custom events between the screens' components (modelled on the HA frontend's
 * `fire_event.ts`): each component adds the events it fires to the global `GalleyDomEvents` map
 * (event name → detail type) next to its `HTMLElementTagNameMap` entry, and fires them with
 * `fireEvent`, so a name or a detail of the wrong type does not compile. Listeners take
 * `GalleyDomEvent<"name">`.
 *
 * Events bubble and cross shadow roots (`composed`), as every component's events always did; an
 * event without a detail has `detail === null`, as a `CustomEvent` without one has.
 */

declare global {
  /** Event name → detail type (`undefined`: the event carries none). Components add to it. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
  interface GalleyDomEvents {}
}

export type GalleyDomEventName = keyof GalleyDomEvents;

/** The event a listener of `K` receives. */
export type GalleyDomEvent<K extends GalleyDomEventName> = CustomEvent<GalleyDomEvents[K]>;

/** The detail argument: required when the event carries one, absent when it does not. */
type DetailArgs<K extends GalleyDomEventName> = GalleyDomEvents[K] extends undefined
  ? []
  : [detail: GalleyDomEvents[K]];

/** Dispatches `type` on `node` (bubbling, composed) with its typed detail; returns the event. */
export function fireEvent<K extends GalleyDomEventName>(
  node: EventTarget,
  type: K,
  ...detail: DetailArgs<K>
): GalleyDomEvent<K> {
  const event = new CustomEvent<GalleyDomEvents[K]>(type, {
    ...(detail.length > 0 ? { detail: detail[0] } : {}),
    bubbles: true,
    composed: true,
  });
  node.dispatchEvent(event);
  return event;
}
