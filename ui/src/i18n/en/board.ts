/** English texts of the pickup board. The source of these keys (i18n/index.ts). */
export const board = {
  // board
  "board.preparing": "Preparing",
  "board.ready": "Ready",
  "board.collect": "Please collect your order when your number is under Ready.",
  "board.readyNow": "Order {number} is ready",
} as const;
