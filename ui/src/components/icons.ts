/**
 * The screens' icons: 24×24 line drawings in one style (stroke = currentColor), inline so they
 * need no request and follow the theme. Allergen pictograms are always shown with their name.
 */
import { svg, type SVGTemplateResult } from "lit";
import type { Allergen, DietaryTag } from "../../../protocol/index.ts";

const ICONS = {
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  minus: svg`<path d="M5 12h14"/>`,
  close: svg`<path d="M6 6l12 12M18 6L6 18"/>`,
  back: svg`<path d="M15 5l-7 7 7 7"/>`,
  next: svg`<path d="M9 5l7 7-7 7"/>`,
  check: svg`<path d="M4 12.5l5 5L20 6.5"/>`,
  cart: svg`<path d="M3 4h2.5l2.2 11h10.6L20.5 8H7"/><circle cx="9.5" cy="19.5" r="1.4"/><circle cx="17" cy="19.5" r="1.4"/>`,
  trash: svg`<path d="M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v6M14 11v6"/>`,
  edit: svg`<path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4"/>`,
  globe: svg`<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18"/>`,
  access: svg`<circle cx="12" cy="4.5" r="1.8"/><path d="M5 8.5l7 1.5 7-1.5M12 10v5M12 15l-3.5 6M12 15l3.5 6"/>`,
  filter: svg`<path d="M4 5h16l-6 7.5V19l-4 1.5v-8z"/>`,
  soundOn: svg`<path d="M4 9.5h4l5-4v13l-5-4H4z"/><path d="M16.5 9a4 4 0 0 1 0 6M19 6.5a7.5 7.5 0 0 1 0 11"/>`,
  soundOff: svg`<path d="M4 9.5h4l5-4v13l-5-4H4z"/><path d="M17 9.5l5 5M22 9.5l-5 5"/>`,
  undo: svg`<path d="M9 14L4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>`,
  recall: svg`<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5M12 7v5l3 2"/>`,
  offline: svg`<path d="M3 3l18 18M8.5 16.5a5 5 0 0 1 7 0M5 12.5a10 10 0 0 1 4.5-2.4M19 12.5a10 10 0 0 0-3-2M2 8.5a15 15 0 0 1 4-2.6M22 8.5A15 15 0 0 0 11 4.6"/><circle cx="12" cy="20" r="0.8"/>`,
  bell: svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0"/>`,
  home: svg`<path d="M4 11l8-7 8 7M6 9.5V20h12V9.5"/>`,
  pause: svg`<circle cx="12" cy="12" r="9"/><path d="M10 9v6M14 9v6"/>`,
  printer: svg`<path d="M7 9V3.5h10V9M7 17H4.5a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1h15a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H17"/><path d="M7 13.5h10v7H7z"/>`,
} as const;

export type IconName = keyof typeof ICONS;

const ALLERGEN_ICONS: Readonly<Record<Allergen, SVGTemplateResult>> = {
  gluten: svg`<path d="M12 21V8"/><path d="M12 8c-3-.8-4-2.8-4-5.5 3 0 4 2.2 4 5.5zM12 8c3-.8 4-2.8 4-5.5-3 0-4 2.2-4 5.5zM12 13.5c-3-.8-4-2.8-4-5 3 0 4 2 4 5zM12 13.5c3-.8 4-2.8 4-5-3 0-4 2-4 5zM12 19c-3-.8-4-2.8-4-5 3 0 4 2 4 5zM12 19c3-.8 4-2.8 4-5-3 0-4 2-4 5z"/>`,
  milk: svg`<path d="M9 2.5h6V6l2 3v11.5H7V9l2-3z"/><path d="M7 12.5h10"/>`,
  eggs: svg`<path d="M12 3c3.6 0 6 5.2 6 10a6 6 0 0 1-12 0c0-4.8 2.4-10 6-10z"/>`,
  fish: svg`<path d="M3 12c3-4 6.5-6 10.5-6S20 9 22 12c-2 3-4.5 6-8.5 6S6 16 3 12z"/><path d="M3 12L1 8.5M3 12l-2 3.5"/><circle cx="17" cy="11" r="0.9"/>`,
  crustaceans: svg`<path d="M6 5.5c7-2 14 1.5 14 7.5a5.5 5.5 0 0 1-5.5 5.5H10"/><path d="M10 18.5l-4 3M10 18.5l-4.5-.5M11 9v5M15 8.5v6M18.5 10h-3"/>`,
  molluscs: svg`<path d="M12 20.5c-5 0-8.5-3.5-8.5-8.5a8.5 8.5 0 0 1 17 0c0 5-3.5 8.5-8.5 8.5z"/><path d="M12 20.5V4M8 19.5L5.5 8.5M16 19.5l2.5-11"/>`,
  nuts: svg`<path d="M5.5 10.5h13M6.5 10.5c0 5 2.5 9 5.5 10 3-1 5.5-5 5.5-10M5.5 10.5c0-3.3 3-5.5 6.5-5.5s6.5 2.2 6.5 5.5M12 5V2.5"/>`,
  peanuts: svg`<path d="M12 2.8a4.2 4.2 0 0 1 3.2 7 4.7 4.7 0 1 1-6.4 0 4.2 4.2 0 0 1 3.2-7z"/><path d="M10.5 6.5h.01M13.5 6.5h.01M10.5 15h.01M13.5 15h.01"/>`,
  sesame: svg`<path d="M7 5c1.8 1.2 1.8 3.8 0 5-1.8-1.2-1.8-3.8 0-5zM16.5 4c1.8 1.2 1.8 3.8 0 5-1.8-1.2-1.8-3.8 0-5zM11.5 13c1.8 1.2 1.8 3.8 0 5-1.8-1.2-1.8-3.8 0-5zM18 13.5c1.8 1.2 1.8 3.8 0 5-1.8-1.2-1.8-3.8 0-5z"/>`,
  soya: svg`<path d="M4 20C3.5 12 9.5 4.5 20 4c.5 8-6 16-16 16z"/><circle cx="9" cy="15" r="1.6"/><circle cx="12.5" cy="11.5" r="1.6"/><circle cx="16" cy="8" r="1.6"/>`,
  mustard: svg`<path d="M10 2.5h4v3.5h-4zM8 6h8l1.5 3.5v11H6.5v-11z"/><path d="M6.5 12.5h11"/>`,
  celery: svg`<path d="M9 21.5V10M12 21.5V8M15 21.5V10M6.5 10c0-3.5 2.5-6 5.5-6s5.5 2.5 5.5 6"/>`,
  lupin: svg`<path d="M12 22V10"/><circle cx="12" cy="4" r="1.7"/><circle cx="9.2" cy="7.5" r="1.7"/><circle cx="14.8" cy="7.5" r="1.7"/><path d="M12 15c-2.5 0-4-1.5-5-3.5M12 15c2.5 0 4-1.5 5-3.5"/>`,
  sulphites: svg`<path d="M8 3.5h8M9 3.5v5.5L4.5 19a1.5 1.5 0 0 0 1.4 2h12.2a1.5 1.5 0 0 0 1.4-2L15 9V3.5"/><path d="M7 15h10"/>`,
};

const DIET_ICONS: Readonly<Record<DietaryTag, SVGTemplateResult>> = {
  vegetarian: svg`<path d="M5 19.5C5 10.5 10.5 5 19.5 4.5c0 9-5.5 15-14.5 15z"/><path d="M5 19.5l8.5-8.5"/>`,
  vegan: svg`<path d="M5 19.5C5 10.5 10.5 5 19.5 4.5c0 9-5.5 15-14.5 15z"/><path d="M5 19.5l8.5-8.5M9 15h4.5M12 12v4"/>`,
  gluten_free: svg`<path d="M12 21V9M12 9c-3-.8-4-2.8-4-5.5 3 0 4 2.2 4 5.5zM12 9c3-.8 4-2.8 4-5.5-3 0-4 2.2-4 5.5zM12 15c-3-.8-4-2.8-4-5 3 0 4 2 4 5zM12 15c3-.8 4-2.8 4-5-3 0-4 2-4 5z"/><path d="M3.5 3.5l17 17"/>`,
  lactose_free: svg`<path d="M9 2.5h6V6l2 3v11.5H7V9l2-3z"/><path d="M3.5 3.5l17 17"/>`,
  halal: svg`<circle cx="12" cy="12" r="9"/><path d="M8 12.5l2.8 2.8L16.5 9"/>`,
  kosher: svg`<circle cx="12" cy="12" r="9"/><path d="M8 12.5l2.8 2.8L16.5 9"/>`,
  spicy: svg`<path d="M14 6.5c-.5-2 .5-3.5 2.5-3.5"/><path d="M15 6.5c3 .8 4 4 3 7-1.8 5-8 8-14.5 7.5C7 19 9.5 15 10.5 11c.8-3 2-4.5 4.5-4.5z"/>`,
  contains_alcohol: svg`<path d="M7 3h10l-1 7a4 4 0 0 1-8 0zM12 14v6M8.5 21h7"/>`,
};

function frame(content: SVGTemplateResult, label?: string) {
  if (label) {
    return svg`<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round" role="img" aria-label=${label} focusable="false">${content}</svg>`;
  }
  return svg`<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${content}</svg>`;
}

/** A UI icon; decorative (hidden from screen readers) unless given a label. */
export function icon(name: IconName, label?: string) {
  return frame(ICONS[name], label);
}

export function allergenIcon(allergen: Allergen) {
  return frame(ALLERGEN_ICONS[allergen]);
}

export function dietIcon(tag: DietaryTag) {
  return frame(DIET_ICONS[tag]);
}
