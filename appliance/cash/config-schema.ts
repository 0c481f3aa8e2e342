/** The `cash` configuration section (appliance/cash): cash shifts and how a drawer is closed. */
import { Type, type Static } from "typebox";

export const CashConfig = Type.Object(
  {
    /**
     * `required`: a cash payment or cash refund needs an open shift on the drawer (refused with
     * `cash_shift_required` otherwise). `off`: stores that do not count cash take it without one
     * (shifts can still be opened; cash taken outside one counts in none).
     */
    shifts: Type.Enum(["required", "off"], { default: "required" }),
    /** The cashier counts before seeing the expected figure: hidden until the close for cashiers. */
    blindClose: Type.Boolean({ default: false }),
    /** The drawer a shift opens on when the request names none. */
    defaultDrawer: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,39}$", default: "main" }),
  },
  { additionalProperties: false, default: {} },
);
export type CashConfig = Static<typeof CashConfig>;
