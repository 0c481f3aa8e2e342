/**
 * 0005: a keyed index of staff PINs (commands/pins.ts), so that signing in finds its user with
 * one lookup and one scrypt check instead of one scrypt per user. Existing users have no index
 * yet: they are found by scrypt once and indexed then. Unique, so two users can never share a PIN
 * even when two requests race. Nullable columns only: the previous release still reads the table.
 */
export const sql = `
ALTER TABLE users ADD COLUMN pin_index TEXT;
ALTER TABLE users ADD COLUMN pin_index_key TEXT;
CREATE UNIQUE INDEX users_pin_index ON users (pin_index) WHERE pin_index IS NOT NULL;
`;
