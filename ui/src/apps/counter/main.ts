/** Entry of the counter page (/counter). */
import "../../styles/base.css";
import "./galley-counter-app.ts";
