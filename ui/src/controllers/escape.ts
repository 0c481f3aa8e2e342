/**
 * A keydown handler for the kiosk's sheets (item page, filters, upsell): Escape does what the
 * sheet's close button does.
 */
export function onEscape(action: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      action();
    }
  };
}
