/** Entry of the kitchen display (/kitchen, /kitchen?station=grill). */
import "../../styles/base.css";
import "./galley-kitchen-app.ts";
