/** The values of the WebSocket protocol at `/ws` that both ends need (the messages are in schemas/push.ts). */

/**
 * Close codes of `/ws` (4000–4999 are ours): 4401 the token no longer works (logged out,
 * expired, user deactivated, screen unpaired: sign in or pair again); 4409 a newer socket with
 * the same token replaced this one (`push.socketsPerToken`); 4429 the client sent more than its
 * limits (`push.messagesPerSecond`, `push.subscribesPerMinute`); 1001 galleyd is stopping.
 */
export const PUSH_CLOSE = { goingAway: 1001, revoked: 4401, replaced: 4409, rateLimited: 4429 } as const;

export const TOPICS = ["kitchen", "board", "order", "menu", "devices", "sync"] as const;
export type Topic = (typeof TOPICS)[number];
