/** Entry of the kiosk page (/kiosk). */
import "../../styles/base.css";
import "./galley-kiosk-app.ts";
