/** Payloads the security tests share. */

/** A manager's "picture": script, an onload handler, a javascript: link and foreign content around a drawing. */
export const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" onload="document.title='pwned'" viewBox="0 0 10 10">
<script>document.title = 'pwned'; fetch('/api/auth/me', { headers: { authorization: 'Bearer ' + localStorage.getItem('galley.token.admin') } });</script>
<a href="javascript:alert(1)"><rect width="10" height="10" fill="#c33"/></a>
<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/></foreignObject>
<circle cx="5" cy="5" r="3" fill="#fff"/>
</svg>`;
