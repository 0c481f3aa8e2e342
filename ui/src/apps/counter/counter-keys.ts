/**
 * Keyboard helpers of the counter: a cashier types into fields, and the screen's own keys (`/`,
 * F-keys, digits on the cash keypad, Enter) must not steal those keystrokes; a panel on a tab
 * that is not shown must not react at all.
 */

/** The key goes into a text field (or a select): leave it to the field. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  );
}

/** Whether the element is on screen now (not inside a hidden tab panel or a closed layer). */
export function isShown(element: HTMLElement): boolean {
  return element.isConnected && element.getClientRects().length > 0;
}
