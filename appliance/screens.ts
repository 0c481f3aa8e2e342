/** The screens galleyd serves, for the start-up banner, the README and the admin page. */
export interface ScreenInfo {
  path: string;
  title: string;
  who: string;
}

export const SCREENS: readonly ScreenInfo[] = [
  { path: "/kiosk", title: "Kiosk", who: "customers ordering" },
  { path: "/kitchen", title: "Kitchen display", who: "cooks (add ?station=grill for one station)" },
  { path: "/board", title: "Pickup board", who: "customers waiting" },
  { path: "/admin", title: "Admin", who: "managers and technicians" },
];
