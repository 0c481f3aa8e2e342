/** Entry of the pickup board (/board). */
import "../../styles/base.css";
import "./galley-board-app.ts";
