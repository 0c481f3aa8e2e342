/** Entry of the admin page (/admin). */
import "../../styles/base.css";
import "./galley-admin-app.ts";
